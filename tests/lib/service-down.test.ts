import { AppError, isServiceDown, unavailableAnswer } from "../../lib/errors";

/**
 * A backing service not answering is told to the caller as `unavailable` with `retryAfter` (try again
 * shortly), a fault of ours as `internal`: an operator trial, with S3 or PostgreSQL cut off, was told
 * "internal error" for uploads, downloads and sends.
 */
const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isServiceDown", () => {
  it.each([
    ["a refused connection", withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432")],
    ["a reset connection", withCode("ECONNRESET", "read ECONNRESET")],
    ["a name that does not resolve", withCode("ENOTFOUND")],
    ["PostgreSQL shutting down (57P01)", withCode("57P01", "terminating connection due to administrator command")],
    ["PostgreSQL starting up (57P03)", withCode("57P03", "the database system is starting up")],
    ["a connection failure (08006)", withCode("08006")],
    ["too many connections (53300)", withCode("53300")],
    ["node-postgres losing its connection", new Error("Connection terminated unexpectedly")],
    ["node-postgres's connect timeout", new Error("timeout exceeded when trying to connect")],
    ["S3 answering 503", Object.assign(new Error("Slow Down"), { name: "SlowDown", $metadata: { httpStatusCode: 503 } })],
    ["the AWS SDK's timeout", Object.assign(new Error("timed out"), { name: "TimeoutError" })],
    ["the AWS SDK's text-only wrapper", new Error("AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9000")],
    ["a cause two levels down", new Error("storing failed", { cause: new Error("put failed", { cause: withCode("ETIMEDOUT") }) })],
  ])("takes %s for a service not answering", (_, err) => {
    expect(isServiceDown(err)).toBe(true);
    expect(unavailableAnswer(err)).toMatchObject({ code: "unavailable", retryAfter: 5 });
  });

  it.each([
    ["a unique violation (23505)", withCode("23505", "duplicate key value")],
    ["a query canceled by its timeout (57014)", withCode("57014", "canceling statement due to statement timeout")],
    ["a bug", new TypeError("cannot read properties of undefined")],
    ["S3 refusing (403)", Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } })],
    ["a disk that is full", withCode("ENOSPC", "no space left on device")],
    ["nothing", undefined],
  ])("does not take %s for one", (_, err) => {
    expect(isServiceDown(err)).toBe(false);
    expect(unavailableAnswer(err)).toBeNull();
  });

  it("leaves refusals as they are, and reads the cause of an internal error", () => {
    expect(unavailableAnswer(new AppError("rate_limited", "slow down", { retryAfter: 3 }))).toBeNull();
    expect(unavailableAnswer(new AppError("internal", "upload not stored", { cause: withCode("ECONNREFUSED") }))).toMatchObject({ code: "unavailable" });
    expect(unavailableAnswer(new AppError("internal", "upload not stored", { cause: withCode("ENOSPC") }))).toBeNull();
  });
});
