/**
 * The English dictionary is split: en.ts has what the chat's first render may show, each
 * components/i18n/<group>-strings.ts a group of keys that other pages or later-fetched parts use, added to
 * the dictionary when the module is imported (`addEnglish`). A module that shows a group's key without
 * importing the group would show the bare key ("settings.title") whenever nothing else happened to import
 * it first, so this test reads every source file of components/ and app/ and checks the imports.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { en } from "@/components/i18n/en";
import { jaDictionary } from "@/components/i18n/ja-dictionary";

const ROOT = path.resolve(__dirname, "../../..");
const I18N = path.join(ROOT, "components/i18n");

type Group = { name: string; keys: Set<string> };

/** Every `<group>-strings.ts` with the keys of the one object it exports. */
const groups: Group[] = fs
  .readdirSync(I18N)
  .filter((f) => f.endsWith("-strings.ts"))
  .sort()
  .map((f) => {
    const exported = Object.values(require(path.join(I18N, f)) as Record<string, unknown>);
    expect(exported).toHaveLength(1);
    return { name: f.replace(/-strings\.ts$/, ""), keys: new Set(Object.keys(exported[0] as object)) };
  });

/**
 * The groups whose strings `source` may show and the groups it imports for their effect. A string literal
 * equal to a group's key needs the group; so does a dynamically built key (a template literal's head, or a
 * literal ending in "." that is concatenated) that some key of the group starts with.
 */
function scan(fileName: string, source: string): { needs: Map<string, string>; imports: Set<string> } {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const needs = new Map<string, string>();
  const imports = new Set<string>();
  const need = (text: string, matches: (key: string) => boolean) => {
    for (const g of groups)
      if (!needs.has(g.name) && [...g.keys].some(matches)) needs.set(g.name, text);
  };
  // A piece of a key: at least its group and a dot ("settings.", "users.kind.").
  const keyPrefix = (text: string) => /^[\w-]+\.[\w.-]*$/.test(text);
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      const target = spec.startsWith("@/") ? path.join(ROOT, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(fileName), spec) : "";
      const m = /^([\w-]+)-strings$/.exec(path.basename(target));
      if (m && path.dirname(target) === I18N) imports.add(m[1]);
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const text = node.text;
      // A text with plural forms is named without its form ("logs.count" for "logs.count.other").
      need(text, (key) => key === text || key === `${text}.other` || (text.endsWith(".") && keyPrefix(text) && key.startsWith(text)));
    } else if (ts.isTemplateExpression(node)) {
      const head = node.head.text;
      const tail = node.templateSpans[node.templateSpans.length - 1].literal.text;
      if (keyPrefix(head)) need(head, (key) => key.startsWith(head));
      // `${group}.title`: the group is not known here, so it needs every group that has such a key.
      else if (!head && /^\.[\w.-]+$/.test(tail)) need(tail, (key) => key.endsWith(tail));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { needs, imports };
}

/** The dictionaries (they hold every key) and the translator (it builds plural keys): not users of keys. */
const DICTIONARY = /^(en|ja|admin-ja|ja-dictionary|text|[\w-]+-strings)\.ts$|^use-t\.tsx$/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    if (dir === I18N && DICTIONARY.test(e.name)) return [];
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

// The server's page titles name their keys with their English beside them (checked below), not from the groups.
const SERVER_TITLES = path.join(ROOT, "app", "page-titles.ts");
const files = ["components", "app"].flatMap((d) => sourceFiles(path.join(ROOT, d))).filter((f) => f !== SERVER_TITLES);

describe("split English strings", () => {
  it("has the expected groups", () => {
    expect(groups.map((g) => g.name)).toEqual([
      "admin", "auth", "connection", "dialogs", "errors", "files", "forms", "keys", "language", "levels", "live", "members", "message", "notifications", "pages", "search", "settings", "thread",
    ]);
  });

  it("gives every key exactly one English string, and every key a Japanese one", () => {
    const seen = new Map<string, string>(Object.keys(en).map((k) => [k, "en"]));
    for (const g of groups)
      for (const key of g.keys) {
        expect([key, seen.get(key)]).toEqual([key, undefined]);
        seen.set(key, g.name);
      }
    // Japanese has one plural form (CLDR's `other`): of a text with forms it has `key.other` only.
    const PLURAL = /\.(zero|one|two|few|many)$/;
    const pluralForm = (key: string) => PLURAL.test(key) && seen.has(key.replace(PLURAL, ".other"));
    expect([...seen.keys()].filter((k) => !pluralForm(k)).sort()).toEqual(Object.keys(jaDictionary).sort());
    for (const g of groups) {
      const strings = Object.values(require(path.join(I18N, `${g.name}-strings.ts`)) as Record<string, Record<string, string>>)[0];
      for (const value of Object.values(strings)) expect(value.trim()).not.toBe("");
    }
    for (const value of [...Object.values(en), ...Object.values(jaDictionary)]) expect(value.trim()).not.toBe("");
  });

  it("makes every module that uses a group's key import the group's strings", () => {
    const missing: string[] = [];
    const users = new Map<string, number>();
    for (const file of files) {
      const { needs, imports } = scan(file, fs.readFileSync(file, "utf8"));
      for (const [group, example] of needs) {
        users.set(group, (users.get(group) ?? 0) + 1);
        if (!imports.has(group)) missing.push(`${path.relative(ROOT, file)} uses "${example}" without importing @/components/i18n/${group}-strings`);
      }
    }
    expect(missing).toEqual([]);
    // Every group is shown somewhere (and the scan does find the keys).
    expect(groups.filter((g) => !users.get(g.name)).map((g) => g.name)).toEqual([]);
  });

  it("catches keys used literally, built from a template or a prefix, and accepts the import", () => {
    const needsOf = (src: string) => [...scan("x.tsx", src).needs.keys()];
    expect(needsOf(`t("settings.title")`)).toEqual(["settings"]);
    expect(needsOf(`t("logs.count", { count: 2 })`)).toEqual(["admin"]);
    expect(needsOf(`const k = { a: "thread.close" }`)).toEqual(["thread"]);
    expect(needsOf("t(`search.${x}`)")).toEqual(["search"]);
    expect(needsOf(`t(("keys." + x) as TextKey)`)).toEqual(["keys"]);
    expect(needsOf(`<a aria-label="auth.setupTitle" />`)).toEqual(["auth"]);
    expect(needsOf("t(`${group}.close` as TextKey)")).toEqual(["dialogs", "keys", "thread"]);
    expect(needsOf("`u${x}`; `${name}.png`; \"v1.\" + x")).toEqual([]);
    // Keys that stay in en.ts (the chat page shows them) need nothing, even when their group's name is a
    // split group's; a prefix that a group's keys share only in part ("settings.levels.title" does not
    // start with "settings.level.") needs only the group whose keys it starts.
    expect(needsOf("t(\"search.open\"); t(\"thread.open\"); t(\"message.edited\")")).toEqual([]);
    expect(needsOf("t(`settings.level.${l}`)")).toEqual(["levels"]);
    expect(scan("x.tsx", `import "@/components/i18n/settings-strings";\nt("settings.title")`).imports).toEqual(new Set(["settings"]));
    expect(scan(path.join(ROOT, "components/chat/x.tsx"), `import "../i18n/thread-strings";`).imports).toEqual(new Set(["thread"]));
    expect(scan(path.join(ROOT, "components/chat/x.tsx"), `import "./thread-strings";`).imports).toEqual(new Set());
  });

  it("titles the server's pages with their keys' own English (and Japanese)", () => {
    const english = new Map<string, string>(Object.entries(en));
    for (const g of groups) {
      const strings = Object.values(require(path.join(I18N, `${g.name}-strings.ts`)) as Record<string, Record<string, string>>)[0];
      for (const [key, value] of Object.entries(strings)) english.set(key, value);
    }
    const { PAGE_TITLES } = require(SERVER_TITLES) as { PAGE_TITLES: Record<string, readonly [string, string]> };
    expect(Object.keys(PAGE_TITLES).length).toBeGreaterThan(0);
    for (const [key, text] of Object.values(PAGE_TITLES)) {
      expect([key, text]).toEqual([key, english.get(key)]);
      expect((jaDictionary as Record<string, string>)[key]).toBeTruthy();
    }
  });
});
