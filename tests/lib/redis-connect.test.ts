/**
 * A Redis that cannot be reached at start: the server's start fails with a line that says so and where
 * (ioredis alone rejects with "Connection is closed."), and never with the URL's password.
 */
import { createLogger } from "../../lib/log";
import { openRedis } from "../../lib/cluster/redis";
import { freePort } from "../helpers/process";

describe("openRedis", () => {
  it("names Redis, its address and the cause when the first connection fails, without the password", async () => {
    const port = await freePort(); // free again: nothing listens there
    const failure = openRedis(`redis://:s3cret-pass@127.0.0.1:${port}`, createLogger({ level: "silent" }));
    await expect(failure).rejects.toThrow(`cannot connect to Redis at redis://127.0.0.1:${port} (REDIS_URL): connect ECONNREFUSED 127.0.0.1:${port}`);
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });
});
