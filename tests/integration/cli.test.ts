import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../../cli";
import { api, joinAs, setupAdmin } from "../helpers/http";
import { freshPostgresUrl, startTestServer } from "../helpers/server";

/**
 * `node dist/cli.js reset-password <name>`: the operator's way back in when the only admin lost their
 * password. Run against the real database the server uses.
 */
function cli(argv: string[], env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  return runCli(argv, { NODE_ENV: "production", LOG_LEVEL: "silent", ...env }, { out: (l) => out.push(l), err: (l) => err.push(l) }).then((code) => ({ code, out, err }));
}

const signIn = (server: { url: string }, name: string, password: string) =>
  api(server as never, "/api/session", { body: { name, password } });

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "hibiki-cli-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("reset-password on the embedded database", () => {
  it("gives the only admin a new password while the server is stopped, ends their sessions, and refuses unknown names and bad usage", async () => {
    const dataDir = path.join(dir, "data");
    let server = await startTestServer({ dataDir });
    const cookie = await setupAdmin(server, "boss", "forgotten-password");
    await server.close();

    const done = await cli(["reset-password", "boss"], { DATA_DIR: dataDir });
    expect(done.code).toBe(0);
    expect(done.out).toHaveLength(1);
    const [password] = done.out;
    expect(password).toMatch(/^\S{16}$/);
    expect(done.err.join("\n")).toMatch(/new password for "boss".*1 session\(s\) ended/);

    server = await startTestServer({ dataDir });
    try {
      expect((await signIn(server, "boss", "forgotten-password")).status).toBe(401);
      expect((await signIn(server, "boss", password)).status).toBe(200);
      // The session from before the reset is over.
      expect((await api(server, "/api/session", { cookie })).body.user ?? null).toBeNull();
    } finally {
      await server.close();
    }

    const unknown = await cli(["reset-password", "nobody"], { DATA_DIR: dataDir });
    expect(unknown.code).toBe(1);
    expect(unknown.err.join("\n")).toMatch(/no such account/);
    // A wrong DATA_DIR is said so, and no database is made there.
    const elsewhere = await cli(["reset-password", "boss"], { DATA_DIR: path.join(dir, "typo") });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.err.join("\n")).toMatch(/no Hibiki database in DATA_DIR .*typo/);
    expect(existsSync(path.join(dir, "typo"))).toBe(false);
    expect((await cli(["reset-password"], { DATA_DIR: dataDir })).code).toBe(2);
    expect((await cli(["drop-everything", "boss"], { DATA_DIR: dataDir })).code).toBe(2);
  }, 120_000);

  it("says that a deactivated account stays deactivated: a new password does not let it sign in", async () => {
    const dataDir = path.join(dir, "data");
    let server = await startTestServer({ dataDir });
    const admin = await setupAdmin(server, "boss", "boss-password");
    await joinAs(server, admin, "banned");
    expect((await api(server, "/api/admin/users/banned/deactivate", { method: "POST", cookie: admin })).status).toBe(200);
    await server.close();

    const done = await cli(["reset-password", "banned"], { DATA_DIR: dataDir });
    expect(done.code).toBe(0);
    expect(done.out).toHaveLength(1);
    expect(done.err.join("\n")).toMatch(/"banned" is deactivated and still cannot sign in until an admin activates it/);
    // What the note says: the new password gets the deactivated account's refusal.
    server = await startTestServer({ dataDir });
    try {
      expect((await signIn(server, "banned", done.out[0])).status).toBe(403);
    } finally {
      await server.close();
    }
    // An active account gets no such note.
    const active = await cli(["reset-password", "boss"], { DATA_DIR: dataDir });
    expect(active.err.join("\n")).not.toMatch(/deactivated/);
  }, 120_000);

  it("refuses while a server holds the data dir, and changes nothing", async () => {
    const dataDir = path.join(dir, "data");
    const server = await startTestServer({ dataDir });
    try {
      await setupAdmin(server, "boss", "still-known-password");
      const refused = await cli(["reset-password", "boss"], { DATA_DIR: dataDir });
      expect(refused.code).toBe(1);
      expect(refused.out).toEqual([]);
      expect(refused.err.join("\n")).toMatch(/in use by another Hibiki process/);
      expect((await signIn(server, "boss", "still-known-password")).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 120_000);
});

const pg = process.env.DATABASE_URL ? describe : describe.skip;
pg("reset-password on PostgreSQL", () => {
  it("works while the server runs", async () => {
    const databaseUrl = (await freshPostgresUrl())!;
    const server = await startTestServer({ databaseUrl });
    try {
      await setupAdmin(server, "boss", "forgotten-password");
      const done = await cli(["reset-password", "boss"], { DATABASE_URL: databaseUrl, DATA_DIR: dir });
      expect(done.code).toBe(0);
      expect((await signIn(server, "boss", done.out[0])).status).toBe(200);
      expect((await signIn(server, "boss", "forgotten-password")).status).toBe(401);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe("held-names and release-name on the embedded database", () => {
  it("lists the names accounts gave up that are still held, and frees one so someone else may take it", async () => {
    const dataDir = path.join(dir, "data");
    let server = await startTestServer({ dataDir });
    const admin = await setupAdmin(server, "boss", "boss-password-1");
    const bob = await joinAs(server, admin, "Bob");
    const rename = (cookie: string, name: string) => api(server, "/api/account/name", { method: "PUT", cookie, body: { name }, headers: { origin: server.url } });
    expect((await rename(bob, "Robert")).status).toBe(200);
    // Control: the name is held, a newcomer is refused it.
    const { body } = await api(server, "/api/admin/join-code", { cookie: admin });
    expect((await api(server, `/api/join/${body.code}`, { body: { name: "bob", password: "new-bob-password" } })).status).toBe(409);
    await server.close();

    const listed = await cli(["held-names"], { DATA_DIR: dataDir });
    expect(listed.code).toBe(0);
    expect(listed.out).toEqual([expect.stringMatching(/^"Bob"\theld for "Robert"\tuntil \d{4}-\d\d-\d\dT/)]);
    expect(listed.err).toEqual(["1 name(s) held"]);
    const released = await cli(["release-name", "BOB"], { DATA_DIR: dataDir });
    expect(released.code).toBe(0);
    expect(released.err.join("\n")).toMatch(/"Bob" is no longer held for "Robert"/);
    expect((await cli(["held-names"], { DATA_DIR: dataDir })).out).toEqual([]);
    const again = await cli(["release-name", "Bob"], { DATA_DIR: dataDir });
    expect(again.code).toBe(1);
    expect(again.err.join("\n")).toMatch(/no name held: "Bob"/);
    expect((await cli(["release-name"], { DATA_DIR: dataDir })).code).toBe(2);
    expect((await cli(["held-names", "extra"], { DATA_DIR: dataDir })).code).toBe(2);

    server = await startTestServer({ dataDir });
    try {
      const code = (await api(server, "/api/admin/join-code", { cookie: await signInCookie(server) })).body.code;
      expect((await api(server, `/api/join/${code}`, { body: { name: "bob", password: "new-bob-password" } })).status).toBe(201);
    } finally {
      await server.close();
    }
  }, 120_000);
});

async function signInCookie(server: { url: string }): Promise<string> {
  return (await signIn(server, "boss", "boss-password-1")).cookie!;
}
