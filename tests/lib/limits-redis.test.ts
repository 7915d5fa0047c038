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
    for (let i = 0; i < 10; i++) await (i % 2 ? a : b).failed("owner", "203.0.113.7");
    await expect(b.check("owner", "203.0.113.7")).rejects.toMatchObject({ code: "rate_limited", retryAfter: 3600 });
    await expect(a.check("owner", "198.51.100.20")).resolves.toBeUndefined();
    for (let i = 0; i < 9; i++) await a.failed("owner", "198.51.100.20");
    await b.succeeded("owner", "198.51.100.20");
    await a.failed("owner", "198.51.100.20");
    await expect(a.check("owner", "198.51.100.20")).resolves.toBeUndefined();
  });
});
