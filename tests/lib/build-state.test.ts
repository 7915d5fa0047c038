/**
 * The build's staleness hash covers the sources, not what the tests make among them: a test run from the
 * TypeScript sources packs the migrated PGlite cluster into lib/db (git ignores it), and an operator
 * trial found the next `npm start` after `npm test` rebuilding everything because of it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

describe("the build's source hash", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "hibiki-build-state-"));
    mkdirSync(path.join(root, "lib", "db"), { recursive: true });
    writeFileSync(path.join(root, "lib", "db", "pglite.ts"), "export const x = 1;\n");
    writeFileSync(path.join(root, "server.ts"), "import './lib/db/pglite';\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("ignores the PGlite template a test run packs beside its sources, and sees every source change", async () => {
    // (A path TypeScript does not resolve: the script is plain JavaScript without declarations.)
    const script = path.join(__dirname, "..", "..", "scripts", "build-state.mjs");
    const { sourceHash } = (await import(script)) as { sourceHash(root?: string): string };
    const before = sourceHash(root);
    writeFileSync(path.join(root, "lib", "db", "pglite-0.5.16-template.tar.gz"), "packed cluster");
    writeFileSync(path.join(root, "lib", "db", "pglite-0.5.16-template.tar.gz.123.partial"), "half packed");
    expect(sourceHash(root)).toBe(before);
    writeFileSync(path.join(root, "lib", "db", "pglite.ts"), "export const x = 2;\n");
    expect(sourceHash(root)).not.toBe(before);
    writeFileSync(path.join(root, "lib", "db", "pglite.ts"), "export const x = 1;\n");
    writeFileSync(path.join(root, "lib", "db", "template-notes.ts"), "// a source whose name is close\n");
    expect(sourceHash(root)).not.toBe(before);
  });
});
