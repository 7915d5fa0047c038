import { ConfigError, loadConfig } from "../../lib/config";

describe("configuration", () => {
  it("has working defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, dataDir: "./data", messageMaxChars: 4000, logLevel: "info", maxPayloadBytes: 65536 });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.guestAccess).toBeUndefined();
  });
  it("parses upload limits and S3 settings", () => {
    expect(loadConfig({}).uploads).toEqual({ maxBytes: 26_214_400, perMinute: 20, dailyFiles: 500, dailyBytes: 2_147_483_648 });
    expect(loadConfig({}).s3).toBeUndefined();
    const c = loadConfig({ REDIS_URL: "redis://r", DATABASE_URL: "postgres://x@y/z", S3_BUCKET: "files", S3_ENDPOINT: "http://minio:9000", S3_FORCE_PATH_STYLE: "true", UPLOAD_MAX_BYTES: "1000" });
    expect(c.s3).toEqual({ bucket: "files", endpoint: "http://minio:9000", region: "us-east-1", forcePathStyle: true, accessKeyId: undefined, secretAccessKey: undefined });
    expect(c.uploads.maxBytes).toBe(1000);
  });
  it("parses values", () => {
    const c = loadConfig({ PORT: "8080", GUEST_ACCESS: "true", CORS_ORIGINS: "https://a.example, https://b.example", DATABASE_URL: "postgres://x@y/z" });
    expect(c).toMatchObject({ port: 8080, guestAccess: true, corsOrigins: ["https://a.example", "https://b.example"], databaseUrl: "postgres://x@y/z" });
  });
  it.each([
    [{ PORT: "abc" }, /^Invalid configuration: PORT="abc"/],
    [{ PORT: "70000" }, /PORT/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL.*postgres:\/\//],
    [{ MAX_PAYLOAD_BYTES: "1000000" }, /MAX_PAYLOAD_BYTES/],
    [{ GUEST_ACCESS: "maybe" }, /GUEST_ACCESS/],
    [{ REDIS_URL: "redis://r", DATABASE_URL: "postgres://x@y/z" }, /REDIS_URL is set but S3_BUCKET is not/],
    [{ UPLOAD_MAX_BYTES: "0" }, /UPLOAD_MAX_BYTES/],
    [{ S3_BUCKET: "b", S3_ENDPOINT: "not a url" }, /S3_ENDPOINT/],
  ])("stops on %j with one line naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain("\n");
    }
  });
});
