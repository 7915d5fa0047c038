// Results: the comparison table (stdout and bench/results/latest.md) and CPU-profile summaries.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

export const TARGET_TITLES = { hibiki: "Hibiki", "hibiki-pg": "Hibiki (PostgreSQL)", bare: "bare" };

export class Results {
  constructor(targets) {
    this.targets = targets;
    this.rows = []; // { scenario, metric, fmt, values: { target: value } }
    this.na = {}; // `${scenario}/${target}` → reason
    this.details = []; // { scenario, target, title, headers, rows }
    this.cpu = []; // { scenario, target, label, serverCores, genCores, pgCores, genShare, wall }
    this.notes = [];
  }

  /** Records one measurement; measured again (BENCH_ROUNDS), a number becomes the median of its rounds. */
  record(scenario, target, metric, value, fmt = "num") {
    let row = this.rows.find((r) => r.scenario === scenario && r.metric === metric);
    if (!row) this.rows.push((row = { scenario, metric, fmt, values: {}, samples: {} }));
    const samples = (row.samples[target] ??= []);
    samples.push(value);
    row.values[target] = typeof value === "number" && samples.every((v) => typeof v === "number") ? median(samples) : value;
  }

  markNa(scenario, target, reason) {
    this.na[`${scenario}/${target}`] = reason;
  }

  cell(row, target) {
    if (target in row.values) return format(row.values[target], row.fmt);
    return this.na[`${row.scenario}/${target}`] !== undefined ? "n/a" : "—";
  }

  ratio(row, target) {
    const a = row.values[target];
    const b = row.values.bare;
    if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "";
    if (row.fmt === "text") return "";
    return `${(a / b).toFixed(2)}×`;
  }

  columns() {
    const hib = this.targets.filter((t) => t !== "bare");
    const cols = [...hib.map((t) => TARGET_TITLES[t]), "bare"];
    const ratios = this.targets.includes("bare") ? hib.map((t) => (hib.length > 1 ? `ratio ${t === "hibiki" ? "PGlite" : "PG"}` : "ratio")) : [];
    return { hib, cols, ratios };
  }

  tableRows() {
    const { hib, cols, ratios } = this.columns();
    const header = ["scenario", "metric", ...cols, ...ratios];
    const body = this.rows.map((r) => [
      r.scenario,
      r.metric,
      ...hib.map((t) => this.cell(r, t)),
      this.targets.includes("bare") ? this.cell(r, "bare") : "—",
      ...(this.targets.includes("bare") ? hib.map((t) => this.ratio(r, t)) : []),
    ]);
    return { header, body };
  }

  /** Plain-text table for the terminal. */
  text() {
    const { header, body } = this.tableRows();
    const widths = header.map((h, i) => Math.max(len(h), ...body.map((r) => len(r[i]))));
    const line = (cells) => cells.map((c, i) => (i < 2 ? padEnd(c, widths[i]) : padStart(c, widths[i]))).join(" | ");
    return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)].join("\n");
  }

  markdownTable() {
    const { header, body } = this.tableRows();
    const esc = (s) => String(s).replace(/\|/g, "\\|");
    return [
      `| ${header.map(esc).join(" | ")} |`,
      `|${header.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`,
      ...body.map((r) => `| ${r.map(esc).join(" | ")} |`),
    ].join("\n");
  }
}

function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return values[values.length - 1];
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const len = (s) => [...String(s)].length;
const padEnd = (s, w) => String(s) + " ".repeat(Math.max(0, w - len(s)));
const padStart = (s, w) => " ".repeat(Math.max(0, w - len(s))) + String(s);

export function format(v, fmt) {
  if (typeof v === "string") return v;
  if (v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v))) return "—";
  switch (fmt) {
    case "int":
      return Math.round(v).toLocaleString("en-US");
    case "ratio4":
      return v.toFixed(4);
    case "ms":
      return v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString("en-US");
    case "s":
      return v.toFixed(1);
    case "kib":
      return v.toFixed(1);
    case "mib":
      return v.toFixed(0);
    case "cores":
      return v.toFixed(2);
    case "pct":
      return `${(v * 100).toFixed(0)} %`;
    default:
      return String(Math.round(v * 100) / 100);
  }
}

/** Top self-time functions and packages of the .cpuprofile files in `dir`. */
export function summarizeProfiles(dir, top = 25) {
  let files;
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  } catch {
    return null;
  }
  if (files.length === 0) return null;
  const byFn = new Map();
  const byPkg = new Map();
  let total = 0;
  for (const f of files) {
    const prof = JSON.parse(readFileSync(path.join(dir, f), "utf8"));
    const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
    const self = new Map();
    for (let i = 0; i < prof.samples.length; i++) {
      const dt = prof.timeDeltas?.[i] ?? 0;
      self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + Math.max(0, dt));
    }
    for (const [id, us] of self) {
      const n = nodes.get(id);
      const cf = n.callFrame;
      const url = (cf.url || "").replace(/^file:\/\//, "");
      const short = url.includes("node_modules/") ? url.slice(url.lastIndexOf("node_modules/") + 13) : url.replace(/^.*\/(dist|bench)\//, "$1/");
      const key = `${cf.functionName || "(anonymous)"}  ${short ? `${short}:${cf.lineNumber + 1}` : ""}`.trim();
      byFn.set(key, (byFn.get(key) ?? 0) + us);
      let pkg;
      if (!url) pkg = cf.functionName.startsWith("(") ? cf.functionName : "(native/V8)";
      else if (url.includes("node_modules/")) {
        const rest = url.slice(url.lastIndexOf("node_modules/") + 13).split("/");
        pkg = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
      } else if (url.startsWith("node:")) pkg = "node core";
      else if (url.includes("/dist/")) pkg = "hibiki (dist/)";
      else pkg = "other";
      byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
      total += us;
    }
  }
  const pct = (us) => ((us / total) * 100).toFixed(1).padStart(5) + " %";
  const sort = (m) => [...m].sort((a, b) => b[1] - a[1]);
  const lines = [`profile: ${files.length} file(s), ${(total / 1e6).toFixed(1)} s of samples`, "by package:"];
  for (const [k, v] of sort(byPkg).slice(0, 12)) lines.push(`  ${pct(v)}  ${k}`);
  lines.push("top functions (self time):");
  for (const [k, v] of sort(byFn).slice(0, top)) lines.push(`  ${pct(v)}  ${k}`);
  return lines.join("\n");
}
