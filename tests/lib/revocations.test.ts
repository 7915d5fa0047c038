import { createRevocationLog } from "../../lib/realtime/revocations";

describe("revocation log", () => {
  const alice = { userId: "1", sessionId: "s1", guest: false };
  const guest = { userId: "9", guest: true };

  it("tells a handshake of the revocations heard since its mark that concern it, and only those", () => {
    const log = createRevocationLog();
    log.record({ userId: "1" }); // before the mark: the identity read saw it
    const mark = log.mark();
    expect(log.revokedSince(mark, alice)).toBe(false);
    log.record({ userId: "2" });
    log.record({ sessionId: "s2" });
    expect(log.revokedSince(mark, alice)).toBe(false);
    expect(log.revokedSince(mark, guest)).toBe(false);
    log.record({ sessionId: "s1" });
    expect(log.revokedSince(mark, alice)).toBe(true);
    log.record({ guests: true });
    expect(log.revokedSince(mark, guest)).toBe(true);
    expect(log.revokedSince(log.mark(), alice)).toBe(false);
  });

  it("counts a mark older than what it still keeps as revoked", () => {
    let now = 0;
    const log = createRevocationLog({ keepMs: 1000, now: () => now });
    const mark = log.mark();
    log.record({ userId: "2" });
    now = 5000;
    log.record({ userId: "3" });
    expect(log.revokedSince(mark, alice)).toBe(true);
    expect(log.revokedSince(log.mark() - 1, alice)).toBe(false);
  });

  it("names the rooms a user was removed from since a mark, which do not count as the user's own revocation", () => {
    const log = createRevocationLog();
    log.record({ userId: "1", roomId: "10" });
    const mark = log.mark();
    log.record({ userId: "1", roomId: "11" });
    log.record({ userId: "2", roomId: "12" });
    expect(log.roomsLeftSince(mark, "1")).toEqual(["11"]);
    expect(log.revokedSince(mark, alice)).toBe(false);
  });
});
