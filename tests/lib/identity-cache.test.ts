import { IdentityCache } from "../../lib/auth/identity-cache";
import type { Identity } from "../../lib/auth/identify";

const user = (id: string) => ({ id, name: `u${id}`, kind: "user" as const, admin: false, deactivated: false });
const viaSession = (userId: string, sessionId: string, expiresAt: number): Identity => ({
  user: user(userId),
  via: "session",
  session: { id: sessionId, user: user(userId), expiresAt: new Date(expiresAt), renewed: false },
  roomIds: ["1"],
});
const viaToken = (userId: string): Identity => ({ user: user(userId), via: "token", roomIds: ["1", "2"] });

describe("IdentityCache", () => {
  let now = 1_000_000;
  const cache = (ttlMs = 10_000, maxEntries = 100) => new IdentityCache({ ttlMs, maxEntries, now: () => now });

  it("keeps an identity for ttlMs, and a session only until it expires", () => {
    const c = cache();
    c.put("t:a", viaToken("7"), c.mark());
    c.put("s:b", viaSession("8", "sess", now + 2_000), c.mark());
    now += 1_999;
    expect(c.get("t:a")?.user.id).toBe("7");
    expect(c.get("s:b")?.user.id).toBe("8");
    now += 1;
    expect(c.get("s:b")).toBeUndefined(); // the session expired before the TTL
    now += 8_000;
    expect(c.get("t:a")).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it("does not keep a lookup that was in flight while its session ended or its user changed", () => {
    const c = cache();
    const m1 = c.mark();
    c.forgetSession("sess");
    c.put("s:b", viaSession("8", "sess", now + 60_000), m1);
    expect(c.get("s:b")).toBeUndefined();
    const m2 = c.mark();
    c.forgetUser("7");
    c.put("t:a", viaToken("7"), m2);
    expect(c.get("t:a")).toBeUndefined();
    const m3 = c.mark();
    c.membershipChanged("7", "3", true);
    c.put("t:a", viaToken("7"), m3);
    expect(c.get("t:a")).toBeUndefined();
    // Someone else's change does not matter.
    const m4 = c.mark();
    c.forgetUser("99");
    c.put("t:a", viaToken("7"), m4);
    expect(c.get("t:a")?.user.id).toBe("7");
  });

  it("does not keep a lookup older than the invalidations it remembers", () => {
    const c = cache();
    const old = c.mark();
    for (let i = 0; i < 600; i++) c.forgetUser(`other-${i}`);
    c.put("t:a", viaToken("7"), old);
    expect(c.get("t:a")).toBeUndefined();
  });

  it("forgets a user's and a session's entries, and follows membership changes", () => {
    const c = cache();
    c.put("t:a", viaToken("7"), c.mark());
    c.put("s:b", viaSession("7", "sess", now + 60_000), c.mark());
    c.membershipChanged("7", "3", true);
    c.membershipChanged("7", "1", false);
    expect(c.get("t:a")?.roomIds).toEqual(["2", "3"]);
    expect(c.get("s:b")?.roomIds).toEqual(["3"]);
    c.forgetSession("sess");
    expect(c.get("s:b")).toBeUndefined();
    expect(c.get("t:a")).toBeDefined();
    c.forgetUser("7");
    expect(c.get("t:a")).toBeUndefined();
  });

  it("never keeps guests, drops the oldest entry past maxEntries, and hands out copies", () => {
    const c = cache(10_000, 2);
    c.put("g", { user: { ...user("5"), kind: "guest" }, via: "guest", roomIds: [] }, c.mark());
    expect(c.get("g")).toBeUndefined();
    c.put("t:1", viaToken("1"), c.mark());
    c.put("t:2", viaToken("2"), c.mark());
    c.put("t:3", viaToken("3"), c.mark());
    expect(c.get("t:1")).toBeUndefined();
    const got = c.get("t:2")!;
    got.roomIds!.push("x");
    got.user.name = "changed";
    expect(c.get("t:2")).toMatchObject({ user: { name: "u2" }, roomIds: ["1", "2"] });
  });
});
