import { HOME_PATH, internalPath, nextPath } from "@/components/auth/next-path";

/** Resolves `path` the way a browser navigation from https://chat.example/signin would. */
const landsOn = (path: string) => new URL(path, "https://chat.example/signin").origin;

describe("internalPath: the one rule for return paths", () => {
  const offSite = [
    "//evil.example",
    "//evil.example/",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/\t/evil.example/",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\t\\evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\u0000/evil.example",
    "/\u200b/evil.example",
    "/../\\evil.example",
    "/..//evil.example",
    "/.//evil.example",
    "/%2e%2e//evil.example",
    "https://evil.example",
    "https:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "",
    "/rooms/x\u2028",
  ];
  it.each(offSite)("refuses %j", (raw) => {
    expect(internalPath(raw)).toBeNull();
  });

  it.each([
    ["/rooms/general", "/rooms/general"],
    ["/rooms/x?tab=1#m2", "/rooms/x?tab=1#m2"],
    ["/rooms/%2F%2Fevil.example", "/rooms/%2F%2Fevil.example"],
    ["/%5Cevil.example", "/%5Cevil.example"],
    ["/rooms/A\u306e\u8a71\u984c", "/rooms/A%E3%81%AE%E8%A9%B1%E9%A1%8C"],
    ["/admin", "/admin"],
  ])("keeps %j as %j, which stays on the site", (raw, path) => {
    expect(internalPath(raw)).toBe(path);
    expect(landsOn(path)).toBe("https://chat.example");
  });

  it("never returns a path that leaves the site, for any accepted input", () => {
    const pieces = ["/", "\\", "\t", "\n", ".", "..", "%2F", "%5C", "%09", "evil.example", ":", "@", "?", "#", "//"];
    for (const a of pieces) for (const b of pieces) for (const c of pieces) {
      const path = internalPath(`/${a}${b}${c}`);
      if (path !== null) expect(landsOn(path)).toBe("https://chat.example");
    }
  });
});

describe("nextPath reads ?next= through internalPath", () => {
  it.each([
    ["?next=%2Frooms%2Fx", "/rooms/x"],
    ["?next=%2F%09%2Fevil.example%2F", HOME_PATH],
    ["?next=%2F%2Fevil.example", HOME_PATH],
    ["?next=%2F%5Cevil.example", HOME_PATH],
    ["?next=%2F%255Cevil.example", "/%5Cevil.example"],
    ["?next=%2F%0A%2Fevil.example", HOME_PATH],
    ["?next=https%3A%2F%2Fevil.example", HOME_PATH],
    ["?next=javascript%3Aalert(1)", HOME_PATH],
    ["?next=%2F%2F%2Fevil.example", HOME_PATH],
    ["?next=/\t/evil.example", HOME_PATH],
    ["?next=", HOME_PATH],
    ["", HOME_PATH],
  ])("for %j is %j", (search, path) => {
    expect(nextPath(search)).toBe(path);
  });
});
