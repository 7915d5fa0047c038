/**
 * RedisPresence (lib/cluster/redis-presence.ts) on a real Redis: what one instance counts of another's
 * connections. Needs REDIS_URL (CI sets it).
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { RedisPresence } from "@/lib/cluster/redis-presence";

const REDIS_URL = process.env.REDIS_URL;
const maybe = REDIS_URL ? describe : describe.skip;
if (!REDIS_URL) process.stdout.write("skipping RedisPresence tests: REDIS_URL is not set\n");

maybe("RedisPresence across instances", () => {
  let redis: Redis;
  const made: RedisPresence[] = [];
  beforeAll(() => void (redis = new Redis(REDIS_URL!)));
  afterAll(async () => {
    for (const p of made) await p.close();
    await redis.quit();
  });

  /** An instance as server startup makes it: announced (its first heartbeat) before it counts anyone. */
  async function instance(prefix: string) {
    const p = new RedisPresence(redis, prefix, 60_000);
    made.push(p);
    await p.heartbeat();
    return p;
  }

  it.each([
    ["one user", [{ id: "u1", name: "carol" }]],
    ["two users", [{ id: "u1", name: "carol" }, { id: "u2", name: "dan" }]],
  ])("counts at once the users of an instance started after its own last heartbeat (%s)", async (_label, users) => {
    const prefix = `t${randomUUID().slice(0, 8)}`;
    const a = await instance(prefix);
    await a.add("room", { id: "u0", name: "alice" });
    const b = await instance(prefix);
    for (const u of users) await b.add("room", u);
    // Within 250 ms of a's last heartbeat (a does not look again yet): b's users count all the same.
    expect((await a.counts(["room"])).get("room")).toBe(1 + users.length);
    expect((await a.online("room")).map((u) => u.name).sort()).toEqual(["alice", ...users.map((u) => u.name)].sort());
  });

  it("says which of the users online are bots, whichever instance counts them", async () => {
    const prefix = `t${randomUUID().slice(0, 8)}`;
    const a = await instance(prefix);
    const b = await instance(prefix);
    await a.add("room", { id: "u1", name: "carol", kind: "user" });
    await b.add("room", { id: "b1", name: "deploybot", kind: "bot" });
    const online = (await a.online("room")).sort((x, y) => x.name.localeCompare(y.name));
    expect(online).toEqual([{ id: "u1", name: "carol" }, { id: "b1", name: "deploybot", bot: true }]);
  });

  it("does not count an instance found silent for two heartbeats", async () => {
    const prefix = `t${randomUUID().slice(0, 8)}`;
    const a = await instance(prefix);
    const b = await instance(prefix);
    await b.add("room", { id: "u1", name: "carol" });
    expect((await a.counts(["room"])).get("room")).toBe(1);
    // b goes silent: its heartbeat entry as old as a dead instance's (close() marks it so); a's next heartbeat reaps it.
    await b.close();
    await a.heartbeat();
    expect((await a.counts(["room"])).get("room")).toBe(0);
  });
});
