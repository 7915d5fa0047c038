import { api } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

/**
 * Credential-like query parameters in bracket notation are refused too: the name before the bracket
 * (which Express's qs parser reads as the parameter) and any part inside (`a[token]`: a field `token`).
 */
describe("query-string credentials in bracket notation", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  }, 60_000);
  afterAll(() => server.close());

  it.each(["auth[]", "auth%5B%5D", "password[a]", "secret%5B0%5D", "Access_Token[x][y]", "session[id]", "a[token]", "a%5Btoken%5D", "x[y][Api-Key]", "user[password]"])("refuses ?%s= on the API and on Socket.IO polling", async (name) => {
    const res = await api(server, `/api/session?${name}=abc`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/query string/);
    const poll = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&${name}=abc`);
    await poll.text();
    expect(poll.status).toBe(400);
    // Positive control: an innocent bracketed parameter passes.
    expect((await api(server, `/api/session?tab[]=abc`)).status).toBe(200);
    const ok = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&tab[]=abc`);
    await ok.text();
    expect(ok.status).toBe(200);
  });
});
