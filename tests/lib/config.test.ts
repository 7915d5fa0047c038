import { readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig, misspelledSettings, payloadBytesForMessage } from "../../lib/config";

const ROOT = path.resolve(__dirname, "..", "..");

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
  it("reads ALLOWED_HOSTS as normalised host names, and stops at one that is not", () => {
    expect(loadConfig({}).allowedHosts).toBeUndefined();
    expect(loadConfig({ ALLOWED_HOSTS: " Chat.Example.COM. , .corp.example,*,hibiki_app,チャット.example" }).allowedHosts).toEqual([
      "chat.example.com",
      ".corp.example",
      "*",
      "hibiki_app",
      "xn--7ckep0i.example",
    ]);
    for (const bad of ["https://chat.example", "chat.example:3000", "chat.example/path", "a..b", ".", "a b"])
      expect(() => loadConfig({ ALLOWED_HOSTS: bad })).toThrow(/^Invalid configuration: ALLOWED_HOSTS=.* is not a host name/);
  });
  it("takes CORS_ORIGINS only as origins a browser's Origin header can equal", () => {
    expect(loadConfig({ CORS_ORIGINS: "https://a.example, http://b.example:8080,https://[::1]:3000" }).corsOrigins).toEqual([
      "https://a.example",
      "http://b.example:8080",
      "https://[::1]:3000",
    ]);
    for (const bad of ["https://a.example/", "https://A.example", "https://a.example:443", "https://a.example/app", "a.example", "*", "null", "ftp://a.example"])
      expect(() => loadConfig({ CORS_ORIGINS: `https://ok.example,${bad}` })).toThrow(/^Invalid configuration: CORS_ORIGINS=.* must be a comma-separated list of origins/);
  });
  it("reads RATE_LIMITS as rows of the limiter table", () => {
    expect(loadConfig({}).rateLimits).toEqual({});
    expect(loadConfig({ RATE_LIMITS: " create-room=50/60, open-dm=0 ,sign-in-fails-name=300/86400/3600" }).rateLimits).toEqual({
      "create-room": { points: 50, duration: 60 },
      "open-dm": { points: 0, duration: 1 },
      "sign-in-fails-name": { points: 300, duration: 86400, block: 3600 },
    });
  });
  it("reads METRICS_TOKEN: unset or empty turns metrics off, a token with a space stops startup naming it but not showing it", () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: "" }).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: "abc123" }).metricsToken).toBe("abc123");
    expect(() => loadConfig({ METRICS_TOKEN: "two words" })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: "two words" })).toThrow('Invalid configuration: METRICS_TOKEN=[redacted] — must not contain spaces');
    // From an operator trial: a URL's password was printed with the refusal.
    for (const [name, value, shown] of [
      ["DATABASE_URL", "mysql://u:hunter2pw@h/db", '"mysql://u:[redacted]@h/db"'],
      ["REDIS_URL", "http://:redispw@127.0.0.1:6379", '"http://:[redacted]@127.0.0.1:6379"'],
      ["REDIS_URL", "https://tokenonly@cache.example", '"https://[redacted]@cache.example"'],
      ["S3_ENDPOINT", "https://key:secret@s3 example", '"https://key:[redacted]@s3 example"'],
      // Written wrong, the password is still one (a second outside trial).
      ["DATABASE_URL", "postgres:/u:hunter2pw@host/db", '"postgres:/u:[redacted]@host/db"'],
      ["DATABASE_URL", " postgres://u:hunter2pw@host/db", '" postgres://u:[redacted]@host/db"'],
      ["DATABASE_URL", "//u:hunter2pw@host/db", '"//u:[redacted]@host/db"'],
      ["REDIS_URL", "redis//:redispw@x", '"redis//:[redacted]@x"'],
    ]) {
      let message = "";
      try {
        loadConfig({ [name]: value, ...(name === "REDIS_URL" ? { DATABASE_URL: "postgres://x/y" } : {}), S3_BUCKET: "b" });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toContain(`${name}=${shown}`);
      expect(message).not.toMatch(/hunter2pw|redispw|tokenonly|secret@/);
    }
  });
  it("reads the outbound allow list and the link preview switch", () => {
    expect(loadConfig({})).toMatchObject({ outboundAllow: [], linkPreviews: true });
    expect(loadConfig({ OUTBOUND_ALLOW: "wiki.corp.example:443, 10.1.2.3:8080", LINK_PREVIEWS: "false" })).toMatchObject({
      outboundAllow: ["wiki.corp.example:443", "10.1.2.3:8080"],
      linkPreviews: false,
    });
  });
  it.each([
    [{ PORT: "abc" }, /^Invalid configuration: PORT="abc"/],
    [{ PORT: "70000" }, /PORT/],
    // A coercing parser took these: " " as 0 (a random port), hex, exponents and signs as numbers.
    [{ PORT: " " }, /^Invalid configuration: PORT=" " — must be a whole number from 0 to 65535, in decimal digits$/],
    [{ PORT: "0x10ea" }, /^Invalid configuration: PORT="0x10ea" — must be a whole number/],
    [{ PORT: "3e3" }, /PORT="3e3"/],
    [{ PORT: "+3000" }, /PORT="\+3000"/],
    [{ PORT: "3000.0" }, /PORT="3000.0"/],
    [{ PORT: " 3000" }, /PORT=" 3000"/],
    [{ MESSAGE_MAX_CHARS: "-1" }, /MESSAGE_MAX_CHARS="-1" — must be a whole number from 1 to 100000/],
    [{ SHUTDOWN_TIMEOUT_MS: "1e4" }, /SHUTDOWN_TIMEOUT_MS/],
    [{ RATE_LIMIT_MESSAGES: "0x1e" }, /RATE_LIMIT_MESSAGES/],
    [{ UPLOAD_MAX_BYTES: "Infinity" }, /UPLOAD_MAX_BYTES/],
    // Checked with the compile the server uses, which threw only once the server was being built.
    [{ TRUST_PROXY: "garbage" }, /^Invalid configuration: TRUST_PROXY="garbage" — must be true, false, a hop count, or .*invalid IP address: garbage/],
    [{ TRUST_PROXY: "loopback, 10.0.0.0/33" }, /TRUST_PROXY/],
    [{ TRUST_PROXY: "1.5" }, /TRUST_PROXY/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL.*postgres:\/\//],
    [{ MAX_PAYLOAD_BYTES: "1000000" }, /MAX_PAYLOAD_BYTES/],
    // The smallest that carries a one-character message (README: 2052 to 65536), whatever MESSAGE_MAX_CHARS.
    [{ MAX_PAYLOAD_BYTES: "2051", MESSAGE_MAX_CHARS: "1" }, /^Invalid configuration: MAX_PAYLOAD_BYTES="2051" — must be a whole number from 2052 to 65536/],
    [{ GUEST_ACCESS: "maybe" }, /GUEST_ACCESS/],
    [{ RATE_LIMITS: "create-rooms=5/60" }, /RATE_LIMITS.*unknown limit "create-rooms"/],
    [{ RATE_LIMITS: "create-room=5" }, /RATE_LIMITS.*needs a window/],
    [{ RATE_LIMITS: "create-room=5/0" }, /RATE_LIMITS.*at least 1 second/],
    [{ RATE_LIMITS: "create-room:5/60" }, /RATE_LIMITS.*not name=points\/seconds/],
    [{ HTTP_REQUEST_TIMEOUT_MS: "0" }, /HTTP_REQUEST_TIMEOUT_MS/],
    [{ MAX_SSE_STREAMS_PER_USER: "0" }, /MAX_SSE_STREAMS_PER_USER/],
    [{ OUTBOUND_ALLOW: "127.0.0.1" }, /OUTBOUND_ALLOW.*host:port/],
    [{ OUTBOUND_ALLOW: "wiki.example:443,http://x/" }, /OUTBOUND_ALLOW/],
    [{ LINK_PREVIEWS: "sometimes" }, /LINK_PREVIEWS/],
    [{ REDIS_URL: "redis://r", DATABASE_URL: "postgres://x@y/z" }, /REDIS_URL is set but S3_BUCKET is not/],
    [{ UPLOAD_MAX_BYTES: "0" }, /UPLOAD_MAX_BYTES/],
    [{ S3_BUCKET: "b", S3_ENDPOINT: "not a url" }, /S3_ENDPOINT/],
    [{ S3_ENDPOINT: "http://minio:9000" }, /S3_ENDPOINT is set but S3_BUCKET is not/],
    [{ S3_ACCESS_KEY_ID: "k", S3_SECRET_ACCESS_KEY: "s" }, /S3_ACCESS_KEY_ID is set but S3_BUCKET is not/],
    [{ S3_SECRET_ACCESS_KEY: "s" }, /S3_SECRET_ACCESS_KEY is set but S3_BUCKET is not/],
  ])("stops on %j with one line naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain("\n");
    }
  });
  it.each([
    [{ MESSAGE_MAX_CHARS: "20000" }, "MESSAGE_MAX_CHARS=20000 does not fit in MAX_PAYLOAD_BYTES=65536", "set MESSAGE_MAX_CHARS to 15872 or less"],
    [{ MESSAGE_MAX_CHARS: "15873" }, "takes up to 65540 bytes", "set MESSAGE_MAX_CHARS to 15872 or less"],
    [{ MAX_PAYLOAD_BYTES: "16384" }, "MESSAGE_MAX_CHARS=4000 does not fit in MAX_PAYLOAD_BYTES=16384", "set MESSAGE_MAX_CHARS to 3584 or less"],
    [{ MAX_PAYLOAD_BYTES: "2052", MESSAGE_MAX_CHARS: "2" }, "takes up to 2056 bytes", "set MESSAGE_MAX_CHARS to 1 or less, or raise MAX_PAYLOAD_BYTES (at most 65536)"],
  ])("refuses %j: the longest message would not fit in one frame", (env, says, advice) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    const message = (() => {
      try {
        loadConfig(env);
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toContain(says);
    expect(message).toContain(advice);
    expect(message).not.toContain("\n");
  });
  it("takes TRUST_PROXY as Express does: true, false, a hop count, or addresses, subnets and names", () => {
    expect(loadConfig({}).trustProxy).toBe("loopback");
    expect(loadConfig({ TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "loopback, uniquelocal, 10.0.0.0/8, 192.168.1.1" }).trustProxy).toBe("loopback, uniquelocal, 10.0.0.0/8, 192.168.1.1");
  });
  it("takes decimal numbers, leading zeros included, and leaves an empty one unset", () => {
    expect(loadConfig({ PORT: "0" }).port).toBe(0);
    expect(loadConfig({ PORT: "65535" }).port).toBe(65_535);
    expect(loadConfig({ PORT: "08080" }).port).toBe(8080);
    expect(loadConfig({ PORT: "" }).port).toBe(3000);
  });
  it("takes a message length and frame limit that just fit", () => {
    expect(payloadBytesForMessage(4000)).toBe(18_048);
    expect(loadConfig({ MESSAGE_MAX_CHARS: "15872" })).toMatchObject({ messageMaxChars: 15_872, maxPayloadBytes: 65_536 });
    expect(loadConfig({ MAX_PAYLOAD_BYTES: "18048" })).toMatchObject({ messageMaxChars: 4000, maxPayloadBytes: 18_048 });
    expect(loadConfig({ MAX_PAYLOAD_BYTES: "2052", MESSAGE_MAX_CHARS: "1" })).toMatchObject({ messageMaxChars: 1, maxPayloadBytes: 2052 });
  });
  it("is documented in README's configuration table once per variable, and only with variables it reads", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Deploy"));
    const names = [...table.matchAll(/^\| (`[A-Z0-9_]+`(?:, `[A-Z0-9_]+`)*) \|/gm)].flatMap((m) => m[1].split(", ").map((n) => n.replace(/`/g, "")));
    const source = readFileSync(path.join(ROOT, "lib", "config.ts"), "utf8");
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    expect(names.filter((n) => !new RegExp(`^\\s+${n}: `, "m").test(source))).toEqual([]);
    // .env.example, the file operators copy, names each of them too (set or commented out).
    const example = readFileSync(path.join(ROOT, ".env.example"), "utf8");
    expect(names.filter((n) => !new RegExp(`^#? ?${n}=`, "m").test(example))).toEqual([]);
  });
});

describe("misspelledSettings", () => {
  // From an operator trial: DATABSE_URL was ignored without a word, and the server ran on the embedded database.
  it("names the setting a misspelt variable was meant to be", () => {
    expect(misspelledSettings({ DATABSE_URL: "postgres://x/y", REDIS_URI: "redis://x", LOG_LEVL: "debug", UPLOAD_MAX_BYTE: "1", CORS_ORIGIN: "https://x" })).toEqual([
      { name: "DATABSE_URL", setting: "DATABASE_URL" },
      { name: "REDIS_URI", setting: "REDIS_URL" },
      { name: "LOG_LEVL", setting: "LOG_LEVEL" },
      { name: "UPLOAD_MAX_BYTE", setting: "UPLOAD_MAX_BYTES" },
      { name: "CORS_ORIGIN", setting: "CORS_ORIGINS" },
    ]);
  });

  it("leaves the settings themselves and the environment's own variables alone", () => {
    const env = { DATABASE_URL: "postgres://x/y", PORT: "3000", HOST: "0.0.0.0", HOME: "/root", PATH: "/bin", HOSTNAME: "box", TERM: "xterm", USER: "app", PWD: "/", LANG: "C", SHELL: "/bin/sh", CI: "true", TZ: "UTC", NODE_ENV: "production", NODE_OPTIONS: "", lowercase_url: "x" };
    expect(misspelledSettings(env)).toEqual([]);
  });
});
