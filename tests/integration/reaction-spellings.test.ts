/**
 * One emoji, one reaction: spellings that show the same emoji (with or without VS16, U+FE0F) toggle the
 * same reaction, whichever arrives first, and history shows one pill with every reactor.
 */
import { call, connect, request, startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ rateLimitMessages: 0, linkPreviews: false });
}, 120_000);
afterAll(() => server.close());

let rooms = 0;
/** Two guests in a room of their own and a message of alice's there. */
async function world() {
  const room = `spelling-${++rooms}`;
  const alice = await connect(server.url, { name: `alice-${room}` });
  const bob = await connect(server.url, { name: `bob-${room}` });
  await call(alice, "join-room", room);
  await call(bob, "join-room", room);
  const { message } = await call(alice, "send-message-to-room", { room, message: "react to me" });
  const react = (who: typeof alice, emoji: string) => call(who, "react", { room, id: message.id, emoji });
  return { room, alice, bob, react, history: async () => (await call(alice, "history", { room })).messages.find((m: { id: string }) => m.id === message.id) };
}

describe("reaction spellings", () => {
  it.each([
    ["thumbs up", "\u{1F44D}", "\u{1F44D}\uFE0F"],
    ["red heart", "\u2764\uFE0F", "\u2764"],
    ["keycap", "#\uFE0F\u20E3", "#\u20E3"],
    ["heart on fire", "\u2764\uFE0F\u200D\u{1F525}", "\u2764\u200D\u{1F525}"],
    ["rainbow flag", "\u{1F3F3}\uFE0F\u200D\u{1F308}", "\u{1F3F3}\u200D\u{1F308}"],
    ["index up, light skin", "\u261D\u{1F3FB}", "\u261D\uFE0F\u{1F3FB}"],
  ])("counts %s written two ways as one reaction", async (_, rgi, other) => {
    const w = await world();
    expect((await w.react(w.alice, other)).toggle).toMatchObject({ emoji: rgi, added: true, count: 1 });
    const both = await w.react(w.bob, rgi);
    expect(both.reactions).toEqual([{ emoji: rgi, count: 2, users: [`alice-${w.room}`, `bob-${w.room}`] }]);
    // alice takes hers back in the other spelling.
    expect((await w.react(w.alice, rgi)).toggle).toMatchObject({ emoji: rgi, added: false, count: 1 });
    expect((await w.history()).reactions).toEqual([{ emoji: rgi, count: 1, users: [`bob-${w.room}`] }]);
  });

  it.each([["a"], ["1"], ["\u263A\uFE0E"], ["\u{1F44D}\u{1F44D}"], [""], ["\uFE0F"]])("still refuses %j", async (emoji) => {
    const w = await world();
    expect(await request(w.alice, "react", { room: w.room, id: (await w.history()).id, emoji })).toMatchObject({
      ok: false,
      error: { code: "bad_request" },
    });
  });
});
