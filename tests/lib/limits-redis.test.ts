import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { signInLimits } from "../../lib/auth/sign-in-limits";
import { createLimits } from "../../lib/limits";

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) process.stdout.write("skipping shared-limit tests: REDIS_URL is not set\n");
const maybe = REDIS_URL ? describe : describe.skip;

maybe("the limiter table in Redis (several instances)", () => {
  let redis: Redis;
  const prefix = `t${randomUUID().slice(0, 8)}`;
  beforeAll(() => void (redis = new Redis(REDIS_URL!)));
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it("shares counts between instances: 20 rooms a minute in all, then rate_limited with retryAfter", async () => {
    const a = createLimits({ messagesPer10s: 30, redis, prefix });
    const b = createLimits({ messagesPer10s: 30, redis, prefix });
    for (let i = 0; i < 20; i++) await (i % 2 ? a : b).take("create-room", "user-1");
    await expect(a.take("create-room", "user-1")).rejects.toMatchObject({ code: "rate_limited", retryAfter: expect.any(Number) });
    await expect(b.take("create-room", "user-2")).resolves.toBeUndefined();
  });

  it("locks an address out of an account across instances, not the owner's address, and resets on success", async () => {
    const a = signInLimits(createLimits({ messagesPer10s: 30, redis, prefix }));
    const b = signInLimits(createLimits({ messagesPer10s: 30, redis, prefix }));
    const fail = async (limits: typeof a, ip: string) => (await limits.reserve("owner", ip)).failed();
    for (let i = 0; i < 10; i++) await fail(i % 2 ? a : b, "203.0.113.7");
    await expect(b.reserve("owner", "203.0.113.7")).rejects.toMatchObject({ code: "rate_limited", retryAfter: 3600 });
    for (let i = 0; i < 9; i++) await fail(a, "198.51.100.20");
    await (await b.reserve("owner", "198.51.100.20")).succeeded();
    for (let i = 0; i < 10; i++) await fail(i % 2 ? a : b, "198.51.100.20");
    await expect(a.reserve("owner", "198.51.100.20")).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("takes the points atomically: of 16 attempts at once on two instances, ten get to check a password", async () => {
    const a = signInLimits(createLimits({ messagesPer10s: 30, redis, prefix }));
    const b = signInLimits(createLimits({ messagesPer10s: 30, redis, prefix }));
    const results = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).reserve("carol", "203.0.113.9")));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(6).fill("rate_limited"));
    // A refused attempt took nothing: an attempt that was let through and then abandoned gives its point back.
    const held = results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<Awaited<ReturnType<typeof a.reserve>>>;
    await held.value.abandoned();
    await expect(a.reserve("carol", "203.0.113.9")).resolves.toBeDefined();
    await expect(b.reserve("carol", "203.0.113.9")).rejects.toMatchObject({ code: "rate_limited" });
  });
});
