/**
 * deploy/compose.yml and deploy/nginx.conf cannot be started here (no Docker daemon), so their shape is
 * checked instead: what is published, what the apps connect to and wait for, and the proxy settings
 * WebSockets, long-polling and SSE depend on. Every check is shown to fail on a copy of the real file
 * with one thing broken, so none of them can pass vacuously.
 *
 * The compose file is read with the small YAML-subset reader below (no YAML parser is a dependency of
 * this project). It refuses anything outside its subset rather than guessing.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { Server } from "socket.io";
import { loadConfig } from "../../lib/config";

const ROOT = path.resolve(__dirname, "../..");
const DEPLOY = path.join(ROOT, "deploy");
const SERVICES = ["postgres", "redis", "app1", "app2", "nginx"];
/** Services that start only with `--profile <name>`, by their profile. */
const PROFILED: Record<string, string> = { prometheus: "metrics" };
const APPS = ["app1", "app2"];

// ---------------------------------------------------------------------------------------------------
// A YAML subset: block mappings and sequences, plain and quoted scalars, flow sequences of scalars,
// comments. Scalars stay strings ("5", "true"); an empty value is null.

type Yaml = string | null | Yaml[] | { [key: string]: Yaml };
type Line = { no: number; indent: number; text: string };

class YamlSubsetError extends Error {}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s[,:-]/.test(line[i - 1])) quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i);
    }
  }
  return line;
}

function scalar(raw: string, no: number): Yaml {
  const s = raw.trim();
  const fail = (why: string) => {
    throw new YamlSubsetError(`line ${no}: ${why}: ${s}`);
  };
  if (s === "" || s === "~" || s === "null") return null;
  if (s.startsWith('"')) {
    if (!s.endsWith('"') || s.length < 2) fail("unterminated double-quoted string");
    try {
      return JSON.parse(s) as string;
    } catch {
      return fail("unsupported escape in a double-quoted string");
    }
  }
  if (s.startsWith("'")) {
    if (!s.endsWith("'") || s.length < 2) fail("unterminated single-quoted string");
    return s.slice(1, -1).replace(/''/g, "'");
  }
  if (s.startsWith("[")) {
    if (!s.endsWith("]")) fail("a flow sequence must end on its line");
    return flowItems(s.slice(1, -1), no).map((item) => {
      if (item.startsWith("[")) fail("nested flow sequences are not supported");
      return scalar(item, no);
    });
  }
  if (/^[{&*!|>%@`]/.test(s) || s.startsWith("<<")) fail("outside the supported YAML subset (flow mapping, anchor, alias, tag or block scalar)");
  if (/:(\s|$)/.test(s)) fail("a mapping where a scalar was expected");
  return s;
}

function flowItems(inner: string, no: number): string[] {
  const items: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) {
      current += c;
      if (c === "\\" && quote === '"') current += inner[++i] ?? "";
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === ",") {
      items.push(current.trim());
      current = "";
    } else {
      current += c;
    }
  }
  if (quote) throw new YamlSubsetError(`line ${no}: unterminated string in a flow sequence`);
  if (current.trim() !== "" || items.length > 0) items.push(current.trim());
  if (items.some((item) => item === "")) throw new YamlSubsetError(`line ${no}: empty item in a flow sequence`);
  return items;
}

export function parseYamlSubset(text: string): Yaml {
  const lines: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const no = i + 1;
    if (/^\t| \t/.test(raw.match(/^\s*/)![0])) throw new YamlSubsetError(`line ${no}: tabs in indentation`);
    const body = stripComment(raw).trimEnd();
    if (body.trim() === "") return;
    if (/^(---|\.\.\.)(\s|$)/.test(body)) throw new YamlSubsetError(`line ${no}: document markers are not supported`);
    const indent = body.length - body.trimStart().length;
    lines.push({ no, indent, text: body.trimStart() });
  });
  let pos = 0;

  const block = (indent: number): Yaml => {
    const first = lines[pos];
    return first.text === "-" || first.text.startsWith("- ") ? sequence(indent) : mapping(indent);
  };

  const sequence = (indent: number): Yaml[] => {
    const out: Yaml[] = [];
    while (pos < lines.length && lines[pos].indent === indent && (lines[pos].text === "-" || lines[pos].text.startsWith("- "))) {
      const line = lines[pos++];
      const item = line.text.slice(1).trim();
      if (item === "") throw new YamlSubsetError(`line ${line.no}: nested blocks inside a sequence are not supported`);
      out.push(scalar(item, line.no));
    }
    return out;
  };

  const mapping = (indent: number): { [key: string]: Yaml } => {
    const out: { [key: string]: Yaml } = {};
    while (pos < lines.length && lines[pos].indent === indent) {
      const line = lines[pos++];
      const m = /^([A-Za-z0-9_.-]+):(?:\s+(.*))?$/.exec(line.text);
      if (!m) throw new YamlSubsetError(`line ${line.no}: expected "key: value": ${line.text}`);
      const [, key, value = ""] = m;
      if (key in out) throw new YamlSubsetError(`line ${line.no}: duplicate key ${key}`);
      const next = lines[pos];
      if (value.trim() !== "") out[key] = scalar(value, line.no);
      else if (next && next.indent > indent) out[key] = block(next.indent);
      else if (next && next.indent === indent && next.text.startsWith("- ")) out[key] = sequence(indent);
      else out[key] = null;
    }
    return out;
  };

  if (lines.length === 0) return null;
  if (lines[0].indent !== 0) throw new YamlSubsetError(`line ${lines[0].no}: the document must start at column 0`);
  const doc = block(0);
  if (pos < lines.length) throw new YamlSubsetError(`line ${lines[pos].no}: unexpected indentation`);
  return doc;
}

// ---------------------------------------------------------------------------------------------------
// What the compose file must say.

type Service = { [key: string]: Yaml };
type Compose = { services?: { [name: string]: Service } } & { [key: string]: Yaml };

const isMap = (v: Yaml | undefined): v is { [key: string]: Yaml } => typeof v === "object" && v !== null && !Array.isArray(v);
const asList = (v: Yaml | undefined): Yaml[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** Docker duration ("15s", "1m30s", "500ms") in milliseconds; NaN when unreadable. */
function durationMs(v: Yaml | undefined): number {
  if (typeof v !== "string" || !/^(\d+(ms|s|m|h))+$/.test(v)) return NaN;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, n, u] of v.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(n) * unit[u];
  return total;
}

function environment(service: Service): Record<string, string> {
  const env = service.environment;
  if (isMap(env)) return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? "" : String(v)]));
  return Object.fromEntries(
    asList(env)
      .filter((e): e is string => typeof e === "string")
      .map((e) => [e.split("=")[0], e.includes("=") ? e.slice(e.indexOf("=") + 1) : ""]),
  );
}

function dependsOn(service: Service): Record<string, string> {
  const deps = service.depends_on;
  if (isMap(deps)) {
    return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, isMap(v) && typeof v.condition === "string" ? v.condition : "service_started"]));
  }
  return Object.fromEntries(asList(deps).map((d) => [String(d), "service_started"]));
}

function healthcheckText(service: Service): string {
  const hc = service.healthcheck;
  return isMap(hc) ? asList(hc.test).map(String).join(" ") : "";
}

/** Short-syntax volume "source:target[:mode]" as [source, target]. */
function volumes(service: Service): [string, string][] {
  return asList(service.volumes)
    .filter((v): v is string => typeof v === "string")
    .map((v) => {
      const [source, target] = v.split(":");
      return [source, target ?? ""];
    });
}

function urlHost(value: string | undefined): { protocol: string; host: string } | null {
  try {
    const u = new URL(value ?? "");
    return { protocol: u.protocol, host: u.hostname };
  } catch {
    return null;
  }
}

const defaults = loadConfig({});

export function composeProblems(doc: Compose): string[] {
  const problems: string[] = [];
  const services = doc.services ?? {};
  const profiled = (name: string) => isMap(services[name]) && services[name].profiles !== undefined;
  const names = Object.keys(services).filter((name) => !profiled(name)).sort();
  if (names.join() !== [...SERVICES].sort().join()) problems.push(`services are ${SERVICES.join(", ")} (found: ${names.join(", ")})`);
  for (const [name, profile] of Object.entries(PROFILED)) {
    if (!asList(services[name]?.profiles).includes(profile)) problems.push(`${name} runs only in the ${profile} profile`);
  }
  for (const name of Object.keys(services).filter(profiled)) if (!(name in PROFILED)) problems.push(`unexpected profiled service ${name}`);

  for (const [name, service] of Object.entries(services)) {
    if (!isMap(service)) continue;
    // A profiled tool (Prometheus) may be reached from this host's loopback, never from outside.
    const published = asList(service.ports).filter((p) => !(profiled(name) && /^127\.0\.0\.1:/.test(String(p))));
    if (name !== "nginx" && published.length > 0) problems.push(`${name} publishes ports; only nginx may`);
    if (service.network_mode === "host") problems.push(`${name} uses the host network (that publishes every port it listens on)`);
  }

  const nginx = services.nginx;
  if (nginx) {
    const ports = asList(nginx.ports).map(String);
    if (!ports.some((p) => /^(\d+\.\d+\.\d+\.\d+:)?\d+:80$/.test(p))) problems.push("nginx publishes no port to its port 80");
    if (typeof nginx.image !== "string" || !nginx.image.startsWith("nginx:")) problems.push("nginx runs an nginx: image");
    const conf = volumes(nginx).find(([, target]) => target === "/etc/nginx/nginx.conf");
    if (!conf || path.resolve(DEPLOY, conf[0]) !== path.join(DEPLOY, "nginx.conf") || !existsSync(path.resolve(DEPLOY, conf[0]))) {
      problems.push("nginx mounts deploy/nginx.conf at /etc/nginx/nginx.conf");
    }
    for (const app of APPS) if (!(app in dependsOn(nginx))) problems.push(`nginx depends on ${app}`);
  }

  const postgres = services.postgres;
  if (postgres) {
    const major = /^postgres:(\d+)/.exec(String(postgres.image ?? ""))?.[1];
    if (!major || Number(major) < 14) problems.push("postgres runs postgres:14 or newer");
    if (!healthcheckText(postgres).includes("pg_isready")) problems.push("postgres has no pg_isready healthcheck");
    if (!volumes(postgres).some(([source, target]) => target === "/var/lib/postgresql/data" && !source.startsWith("/") && !source.startsWith("."))) {
      problems.push("postgres keeps /var/lib/postgresql/data in a named volume");
    }
  }

  const redis = services.redis;
  if (redis) {
    if (!/^redis:/.test(String(redis.image ?? ""))) problems.push("redis runs a redis: image");
    if (!/redis-cli\b.*\bping\b/.test(healthcheckText(redis))) problems.push("redis has no redis-cli ping healthcheck");
  }

  for (const app of APPS) {
    const service = services[app];
    if (!service) continue;
    const build = service.build;
    const context = typeof build === "string" ? build : isMap(build) ? build.context : undefined;
    const dockerfile = isMap(build) && typeof build.dockerfile === "string" ? build.dockerfile : "Dockerfile";
    if (typeof context !== "string" || path.resolve(DEPLOY, context) !== ROOT || !existsSync(path.resolve(ROOT, dockerfile)) || path.resolve(ROOT, dockerfile) !== path.join(ROOT, "Dockerfile")) {
      problems.push(`${app} builds the repository's Dockerfile (context .., dockerfile Dockerfile)`);
    }
    const env = environment(service);
    const db = urlHost(env.DATABASE_URL);
    if (!db || !/^postgres(ql)?:$/.test(db.protocol) || db.host !== "postgres") problems.push(`${app}: DATABASE_URL must point at the postgres service`);
    const rd = urlHost(env.REDIS_URL);
    if (!rd || !/^rediss?:$/.test(rd.protocol) || rd.host !== "redis") problems.push(`${app}: REDIS_URL must point at the redis service`);
    // The app's own validation, with compose's ${VARIABLES} filled in as compose does when deploy/.env
    // sets only the required ones: `${X:-default}` is its default, `${X:?message}` a value.
    const filled = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, v.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, "$1").replace(/\$\{[^}]*\}/g, "secret")]),
    );
    try {
      loadConfig(filled);
    } catch (err) {
      problems.push(`${app}: the app would refuse this environment: ${(err as Error).message}`);
    }
    const deps = dependsOn(service);
    for (const dep of ["postgres", "redis"]) if (deps[dep] !== "service_healthy") problems.push(`${app} depends on ${dep} with condition service_healthy`);
    if (!(durationMs(service.stop_grace_period) > defaults.shutdownTimeoutMs)) {
      problems.push(`${app}: stop_grace_period must exceed SHUTDOWN_TIMEOUT_MS (${defaults.shutdownTimeoutMs} ms; Docker's default is 10s)`);
    }
  }
  const prometheus = services.prometheus;
  if (prometheus) {
    if (!/^prom\/prometheus:v\d+\.\d+\.\d+$/.test(String(prometheus.image ?? ""))) problems.push("prometheus runs a prom/prometheus image pinned to a version");
    const conf = volumes(prometheus).find(([, target]) => target === "/etc/prometheus/prometheus.yml");
    if (!conf || path.resolve(DEPLOY, conf[0]) !== path.join(DEPLOY, "prometheus.yml")) problems.push("prometheus mounts deploy/prometheus.yml");
    const secrets = isMap(doc.secrets) ? doc.secrets : {};
    const token = secrets.metrics_token;
    if (!asList(prometheus.secrets).includes("metrics_token") || !isMap(token) || token.environment !== "METRICS_TOKEN") {
      problems.push("prometheus gets METRICS_TOKEN as the secret metrics_token");
    }
  }
  for (const app of APPS) {
    if (services[app] && environment(services[app]).METRICS_TOKEN !== "${METRICS_TOKEN:-}") problems.push(`${app}: METRICS_TOKEN comes from the environment`);
    // Any S3-compatible store, as deploy/.env says: its URL (not https://<host> only) and path style, as written there.
    for (const name of ["S3_ENDPOINT", "S3_FORCE_PATH_STYLE"]) {
      if (services[app] && !new RegExp(`^\\$\\{${name}:-[^}]*\\}$`).test(environment(services[app])[name] ?? "")) problems.push(`${app}: ${name} comes from the environment`);
    }
  }
  if (services.app1 && services.app2 && JSON.stringify(services.app1) !== JSON.stringify(services.app2)) {
    problems.push("app1 and app2 are configured identically");
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// What the nginx configuration must say (read as text, comments removed).

/** Socket.IO's ping interval + timeout as this project runs it, and the SSE heartbeat default. */
function idleLimitMs(): number {
  const io = new Server(createServer());
  const { pingInterval, pingTimeout } = io.engine.opts;
  void io.close();
  if (pingInterval === undefined || pingTimeout === undefined) throw new Error("Socket.IO no longer reports its ping defaults");
  return Math.max(pingInterval + pingTimeout, defaults.sseHeartbeatMs) + 1000;
}
const IDLE_LIMIT_MS = idleLimitMs();

/** nginx time ("75s", "75", "2m", "1m30s", "90000ms") in milliseconds; NaN when unreadable. */
function nginxTimeMs(v: string): number {
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/^(\d+(ms|s|m|h|d))+$/.test(v)) return NaN;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  let total = 0;
  for (const [, n, u] of v.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += Number(n) * unit[u];
  return total;
}

/** Arguments of every `name ...;` directive in `text`. */
function directives(text: string, name: string): string[][] {
  const re = new RegExp(`(?:^|[;{}\\s])${name}(?:\\s+([^;{}]*))?;`, "g");
  return [...text.matchAll(re)].map((m) => (m[1] ?? "").trim().split(/\s+/).filter(Boolean));
}

export function nginxProblems(source: string): string[] {
  const text = source.replace(/#[^\n]*/g, "");
  const problems: string[] = [];
  const upstream = /\bupstream\s+([A-Za-z0-9_.-]+)\s*\{([^}]*)\}/.exec(text);
  if (!upstream) return ["no upstream block"];
  const [, name, body] = upstream;
  const servers = directives(body, "server").map((args) => args[0]);
  for (const app of APPS) {
    if (!servers.includes(`${app}:${defaults.port}`)) problems.push(`upstream lists ${app}:${defaults.port}`);
  }
  const sticky = directives(body, "ip_hash").length > 0 || directives(body, "hash").some((args) => args[0] === "$remote_addr") || directives(body, "sticky").length > 0;
  if (!sticky) problems.push("upstream is sticky (ip_hash, or hash $remote_addr consistent) for long-polling");

  const rest = text.replace(upstream[0], "");
  if (!directives(rest, "proxy_pass").some((args) => args[0] === `http://${name}` || args[0] === `http://${name}/`)) {
    problems.push(`proxy_pass http://${name}`);
  }
  if (!directives(rest, "proxy_http_version").some((args) => args[0] === "1.1")) problems.push("proxy_http_version 1.1 (WebSocket upgrades need it)");

  const headers = new Map(directives(rest, "proxy_set_header").map((args) => [args[0].toLowerCase(), args.slice(1).join(" ")]));
  if (headers.get("upgrade") !== "$http_upgrade") problems.push("proxy_set_header Upgrade $http_upgrade");
  const connection = headers.get("connection") ?? "";
  const mapped = /\bmap\s+\$http_upgrade\s+\$connection_upgrade\s*\{[^}]*\bupgrade\s*;[^}]*\}/.test(text);
  if (!(connection === "$connection_upgrade" && mapped) && !/^"?upgrade"?$/i.test(connection)) {
    problems.push('proxy_set_header Connection $connection_upgrade (with its map) or "upgrade"');
  }
  if (headers.get("host") !== "$http_host") problems.push("proxy_set_header Host $http_host (the Origin check compares against Host, port included)");
  // compose.yml trusts private networks (TRUST_PROXY uniquelocal), where clients may be too (an office
  // LAN, a VPN): appending ($proxy_add_x_forwarded_for) would keep what such a client wrote, and the apps
  // would walk past its trusted address to take it. nginx must say only what it saw.
  if (headers.get("x-forwarded-for") !== "$remote_addr") problems.push("proxy_set_header X-Forwarded-For $remote_addr (not appended to the client's own)");
  if (!["$scheme", "https"].includes(headers.get("x-forwarded-proto") ?? "")) problems.push("proxy_set_header X-Forwarded-Proto");

  for (const timeout of ["proxy_read_timeout", "proxy_send_timeout"]) {
    const values = directives(rest, timeout).map((args) => nginxTimeMs(args[0] ?? ""));
    if (values.length === 0 || !values.every((ms) => ms >= IDLE_LIMIT_MS)) {
      problems.push(`${timeout} of at least ${IDLE_LIMIT_MS / 1000}s (Socket.IO ping interval + timeout, SSE heartbeat)`);
    }
  }
  const buffering = directives(rest, "proxy_buffering");
  if (buffering.length === 0 || buffering.some((args) => args[0] !== "off")) problems.push("proxy_buffering off (SSE)");
  return problems;
}

// ---------------------------------------------------------------------------------------------------

const composeText = readFileSync(path.join(DEPLOY, "compose.yml"), "utf8");
const nginxText = readFileSync(path.join(DEPLOY, "nginx.conf"), "utf8");
const compose = parseYamlSubset(composeText) as Compose;
const copy = (): Compose => JSON.parse(JSON.stringify(compose)) as Compose;
const svc = (doc: Compose, name: string) => doc.services![name];

describe("the YAML-subset reader", () => {
  it("reads mappings, sequences, quoted and flow scalars and comments", () => {
    const doc = parseYamlSubset(
      [
        "# comment",
        "a:",
        "  b: plain value # trailing comment",
        '  c: "quoted # not a comment"',
        "  d: 'it''s'",
        '  e: ["CMD", "--save", "", \'x,y\']',
        "  f:",
        '    - "8080:80"',
        "    - ./x:/y:ro",
        "  g:",
        "h: ${VAR:?set VAR}@host",
      ].join("\n"),
    );
    expect(doc).toEqual({
      a: { b: "plain value", c: "quoted # not a comment", d: "it's", e: ["CMD", "--save", "", "x,y"], f: ["8080:80", "./x:/y:ro"], g: null },
      h: "${VAR:?set VAR}@host",
    });
  });

  it.each([
    ["an anchor", "a: &x 1"],
    ["an alias", "a: *x"],
    ["a merge key", "a:\n  <<: *x"],
    ["a flow mapping", "a: {b: 1}"],
    ["a block scalar", "a: |\n  text"],
    ["a mapping inside a sequence", "a:\n  - b: 1"],
    ["a duplicate key", "a: 1\na: 2"],
    ["a second document", "a: 1\n---\nb: 2"],
    ["stray indentation", "a: 1\n  b: 2"],
  ])("refuses %s", (_what, text) => {
    expect(() => parseYamlSubset(text)).toThrow(YamlSubsetError);
  });
});

describe("deploy/compose.yml", () => {
  it("has postgres, redis, app1, app2 and nginx, with only nginx published, and Prometheus in the metrics profile", () => {
    expect(composeProblems(compose)).toEqual([]);
    expect(Object.keys(compose.services ?? {}).sort()).toEqual([...SERVICES, ...Object.keys(PROFILED)].sort());
  });

  const mutations: [string, (doc: Compose) => void, string][] = [
    ["a sixth service", (d) => void (d.services!.adminer = { image: "adminer" }), "services are"],
    ["a missing service", (d) => void delete d.services!.redis, "services are"],
    ["redis publishing its port", (d) => void (svc(d, "redis").ports = ["6379:6379"]), "redis publishes ports"],
    ["postgres publishing its port", (d) => void (svc(d, "postgres").ports = ["5432:5432"]), "postgres publishes ports"],
    ["app1 publishing its port", (d) => void (svc(d, "app1").ports = ["3000:3000"]), "app1 publishes ports"],
    ["redis on the host network", (d) => void (svc(d, "redis").network_mode = "host"), "redis uses the host network"],
    ["nginx publishing nothing", (d) => void delete svc(d, "nginx").ports, "nginx publishes no port"],
    ["nginx mounting another file", (d) => void (svc(d, "nginx").volumes = ["./other.conf:/etc/nginx/nginx.conf:ro"]), "nginx mounts deploy/nginx.conf"],
    ["nginx not mounting its config", (d) => void delete svc(d, "nginx").volumes, "nginx mounts deploy/nginx.conf"],
    ["nginx not waiting for app2", (d) => void delete (svc(d, "nginx").depends_on as Service).app2, "nginx depends on app2"],
    ["an old postgres", (d) => void (svc(d, "postgres").image = "postgres:13"), "postgres runs postgres:14"],
    ["postgres without a healthcheck", (d) => void delete svc(d, "postgres").healthcheck, "postgres has no pg_isready"],
    ["postgres without its volume", (d) => void delete svc(d, "postgres").volumes, "postgres keeps"],
    ["redis without a healthcheck", (d) => void delete svc(d, "redis").healthcheck, "redis has no redis-cli ping"],
    ["app1 building another directory", (d) => void ((svc(d, "app1").build as Service).context = "."), "app1 builds the repository's Dockerfile"],
    ["app2 using a prebuilt image", (d) => void (delete svc(d, "app2").build, (svc(d, "app2").image = "hibiki:latest")), "app2 builds the repository's Dockerfile"],
    ["app1 without DATABASE_URL", (d) => void delete (svc(d, "app1").environment as Service).DATABASE_URL, "app1: DATABASE_URL"],
    ["app2 without REDIS_URL", (d) => void delete (svc(d, "app2").environment as Service).REDIS_URL, "app2: REDIS_URL"],
    ["app1 on a local database", (d) => void ((svc(d, "app1").environment as Service).DATABASE_URL = "postgres://h:p@127.0.0.1/h"), "app1: DATABASE_URL"],
    ["app1 with a REDIS_URL the app refuses", (d) => void ((svc(d, "app1").environment as Service).REDIS_URL = "tcp://redis:6379"), "app1: REDIS_URL"],
    ["app1 with a bad setting", (d) => void ((svc(d, "app1").environment as Service).LOG_LEVEL = "loud"), "app1: the app would refuse"],
    ["app1 starting before postgres is healthy", (d) => void (((svc(d, "app1").depends_on as Service).postgres as Service).condition = "service_started"), "app1 depends on postgres"],
    ["app2 not waiting for redis", (d) => void delete (svc(d, "app2").depends_on as Service).redis, "app2 depends on redis"],
    ["app1 with Docker's default stop timeout", (d) => void delete svc(d, "app1").stop_grace_period, "app1: stop_grace_period"],
    ["prometheus outside its profile", (d) => void delete svc(d, "prometheus").profiles, "prometheus runs only in the metrics profile"],
    ["prometheus on an unpinned image", (d) => void (svc(d, "prometheus").image = "prom/prometheus:latest"), "pinned to a version"],
    ["prometheus published beyond loopback", (d) => void (svc(d, "prometheus").ports = ["9090:9090"]), "prometheus publishes ports"],
    ["prometheus without its config", (d) => void delete svc(d, "prometheus").volumes, "prometheus mounts deploy/prometheus.yml"],
    ["prometheus without the token", (d) => void delete svc(d, "prometheus").secrets, "prometheus gets METRICS_TOKEN"],
    ["a metrics token secret from a file", (d) => void ((d.secrets as Service).metrics_token = { file: "./token" }), "prometheus gets METRICS_TOKEN"],
    ["app2 without METRICS_TOKEN", (d) => void delete (svc(d, "app2").environment as Service).METRICS_TOKEN, "app2: METRICS_TOKEN"],
    ["app1 and app2 drifting apart", (d) => void ((svc(d, "app2").environment as Service).LOG_LEVEL = "debug"), "app1 and app2 are configured identically"],
  ];

  it.each(mutations)("notices %s", (_what, mutate, expected) => {
    const doc = copy();
    mutate(doc);
    expect(composeProblems(doc)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });
});

/** What deploy/prometheus.yml must say (read as text, comments removed: its lists of mappings are outside the YAML subset). */
export function prometheusProblems(source: string): string[] {
  const text = source.replace(/#[^\n]*/g, "");
  const problems: string[] = [];
  const targets = /targets:\s*\[([^\]]*)\]/.exec(text)?.[1].split(",").map((t) => t.trim().replace(/^["']|["']$/g, "")) ?? [];
  for (const app of APPS) if (!targets.includes(`${app}:${defaults.port}`)) problems.push(`scrapes ${app}:${defaults.port} directly`);
  if (!/^\s*metrics_path:\s*\/metrics\s*$/m.test(text)) problems.push("metrics_path /metrics");
  if (!/^\s*type:\s*Bearer\s*$/m.test(text) || !/^\s*credentials_file:\s*\/run\/secrets\/metrics_token\s*$/m.test(text)) {
    problems.push("a Bearer token from /run/secrets/metrics_token");
  }
  return problems;
}

describe("deploy/prometheus.yml", () => {
  const prometheusText = readFileSync(path.join(DEPLOY, "prometheus.yml"), "utf8");
  it("scrapes app1 and app2 with the bearer token from the compose secret", () => {
    expect(prometheusProblems(prometheusText)).toEqual([]);
  });
  it.each([
    ["app2 missing", "\"app2:3000\"", "", "scrapes app2:3000"],
    ["another path", "metrics_path: /metrics", "metrics_path: /api/metrics", "metrics_path /metrics"],
    ["no token file", "credentials_file: /run/secrets/metrics_token", "credentials: changeme", "a Bearer token"],
  ])("notices %s", (_what, from, to, expected) => {
    const changed = prometheusText.replace(from, to);
    expect(changed).not.toBe(prometheusText);
    expect(prometheusProblems(changed)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });
  it("is not reachable through nginx, which would pick a random instance", () => {
    expect(nginxText.replace(/#[^\n]*/g, "")).toMatch(/location = \/metrics \{\s*return 404;\s*\}/);
  });
});

describe("deploy/nginx.conf", () => {
  it("balances app1 and app2 stickily and passes WebSockets and SSE through", () => {
    expect(IDLE_LIMIT_MS).toBe(46_000); // 25 s + 20 s Socket.IO defaults, plus a second
    expect(nginxProblems(nginxText)).toEqual([]);
  });

  /** The real file with one change; fails if the text to change is not there. */
  const edit = (from: string | RegExp, to: string) => {
    const out = nginxText.replace(from, to);
    if (out === nginxText) throw new Error(`deploy/nginx.conf has no ${String(from)} to change`);
    return out;
  };

  const mutations: [string, () => string, string][] = [
    ["app2 missing from the upstream", () => edit(/\n\s*server app2:3000[^;]*;/, ""), "upstream lists app2:3000"],
    ["app1 on another port", () => edit("server app1:3000", "server app1:3001"), "upstream lists app1:3000"],
    ["no sticky directive", () => edit(/\n\s*hash \$remote_addr consistent;/, ""), "upstream is sticky"],
    ["hashing on something else", () => edit("hash $remote_addr consistent;", "hash $request_uri consistent;"), "upstream is sticky"],
    ["proxying elsewhere", () => edit("proxy_pass http://hibiki;", "proxy_pass http://127.0.0.1:3000;"), "proxy_pass http://hibiki"],
    ["HTTP/1.0 to the upstream", () => edit("proxy_http_version 1.1;", "proxy_http_version 1.0;"), "proxy_http_version 1.1"],
    ["no Upgrade header", () => edit(/\n\s*proxy_set_header Upgrade[^;]*;/, ""), "proxy_set_header Upgrade"],
    ["no Connection header", () => edit(/\n\s*proxy_set_header Connection[^;]*;/, ""), "proxy_set_header Connection"],
    ["the Connection map gone", () => edit(/map \$http_upgrade \$connection_upgrade \{[^}]*\}/, ""), "proxy_set_header Connection"],
    ["Host without its port", () => edit("proxy_set_header Host $http_host;", "proxy_set_header Host $host;"), "proxy_set_header Host $http_host"],
    ["no X-Forwarded-For", () => edit(/\n\s*proxy_set_header X-Forwarded-For[^;]*;/, ""), "X-Forwarded-For"],
    ["appending to the client's X-Forwarded-For", () => edit("X-Forwarded-For $remote_addr;", "X-Forwarded-For $proxy_add_x_forwarded_for;"), "X-Forwarded-For $remote_addr"],
    ["no X-Forwarded-Proto", () => edit(/\n\s*proxy_set_header X-Forwarded-Proto[^;]*;/, ""), "X-Forwarded-Proto"],
    ["a 30 s read timeout", () => edit("proxy_read_timeout 75s;", "proxy_read_timeout 30s;"), "proxy_read_timeout of at least 46s"],
    ["a read timeout of exactly ping interval + timeout", () => edit("proxy_read_timeout 75s;", "proxy_read_timeout 45s;"), "proxy_read_timeout"],
    ["nginx's default read timeout", () => edit(/\n\s*proxy_read_timeout[^;]*;/, ""), "proxy_read_timeout"],
    ["a 10 s send timeout", () => edit("proxy_send_timeout 75s;", "proxy_send_timeout 10s;"), "proxy_send_timeout"],
    ["buffering on", () => edit("proxy_buffering off;", "proxy_buffering on;"), "proxy_buffering off"],
    ["buffering left at its default", () => edit(/\n\s*proxy_buffering off;/, ""), "proxy_buffering off"],
  ];

  it.each(mutations)("notices %s", (_what, make, expected) => {
    expect(nginxProblems(make())).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it("accepts equivalent spellings", () => {
    expect(nginxProblems(edit("proxy_read_timeout 75s;", "proxy_read_timeout 2m;"))).toEqual([]);
    expect(nginxProblems(edit("proxy_read_timeout 75s;", "proxy_read_timeout 90;"))).toEqual([]);
    expect(nginxProblems(edit("hash $remote_addr consistent;", "ip_hash;"))).toEqual([]);
    expect(nginxProblems(edit("proxy_set_header Connection $connection_upgrade;", 'proxy_set_header Connection "upgrade";'))).toEqual([]);
  });
});
