/** @type {import('jest').Config} */
const swc = [
  "@swc/jest",
  {
    jsc: {
      parser: { syntax: "typescript", tsx: true },
      transform: { react: { runtime: "automatic" } },
      target: "es2022",
    },
    module: { type: "commonjs" },
  },
];

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts", "**/*.test.tsx"],
  transform: { "^.+\\.(t|j)sx?$": swc, "^.+\\.mjs$": swc },
  // ES-module-only packages are compiled to CommonJS like our own code (Jest's module system cannot
  // require ES modules): the Markdown renderer (unified, remark, micromark …) and what file-type needs.
  transformIgnorePatterns: [
    "/node_modules/(?!(fuzzysort|file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|react-markdown|remark-[^/]+|micromark[^/]*|mdast-util-[^/]+|hast-util-[^/]+|unist-util-[^/]+|unified|bail|ccount|character-entities[^/]*|character-reference-invalid|comma-separated-tokens|decode-named-character-reference|devlop|estree-util-is-identifier-name|html-url-attributes|is-alphabetical|is-alphanumerical|is-decimal|is-hexadecimal|is-plain-obj|longest-streak|markdown-table|parse-entities|property-information|space-separated-tokens|stringify-entities|trim-lines|trough|vfile[^/]*|zwitch|get-east-asian-width|escape-string-regexp)/)",
  ],
  moduleNameMapper: {
    "\\.(css)$": "<rootDir>/tests/helpers/style-stub.js",
    "^@/(.*)$": "<rootDir>/$1",
    // ESM-only: its exports map offers no "require" condition, so point Jest at the file itself.
    "^file-type$": "<rootDir>/node_modules/file-type/index.js",
  },
  globalSetup: "<rootDir>/tests/helpers/global-setup.js",
  setupFilesAfterEnv: ["<rootDir>/tests/helpers/setup-after-env.ts"],
  // A hang guard, not a speed check (speed is measured in `npm run bench`): servers start in beforeAll hooks.
  testTimeout: 60000,
  // Integration suites start real servers; two workers fit this project's 2-core target machines.
  maxWorkers: 2,
  // A worker's heap grows by about 90 MB per integration suite (each test file loads the server's modules
  // afresh and not all of them are collected): 2.9 GB by the end of a run, where its garbage collections
  // slowed every later suite (a jsdom component test took 6.5 s instead of 0.7). Past 1 GB a worker is
  // replaced between two test files.
  workerIdleMemoryLimit: "1GB",
};
