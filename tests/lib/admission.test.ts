import { createAdmissionGate } from "../../lib/admission";
import { isAppError } from "../../lib/errors";
import { retryDelayOf } from "../../components/chat/reconnection";

const open = () => false;

describe("connect throttle (admission gate)", () => {
  afterEach(() => jest.useRealTimers());

  it("admits at most `concurrency` at once, the rest in arrival order as slots are released", async () => {
    const gate = createAdmissionGate({ concurrency: 2, queueMax: 100, maxWaitMs: 60_000 });
    const order: number[] = [];
    const a = await gate.enter(open);
    const b = await gate.enter(open);
    const waiting = [3, 4, 5].map((n) => gate.enter(open).then((release) => (order.push(n), release)));
    expect([gate.inFlight, gate.waiting]).toEqual([2, 3]);
    a!();
    a!(); // idempotent: a second call frees nothing more
    const c = await waiting[0];
    expect([gate.inFlight, gate.waiting, order]).toEqual([2, 2, [3]]);
    b!();
    c!();
    await Promise.all(waiting);
    expect(order).toEqual([3, 4, 5]);
    expect(gate.inFlight).toBe(2);
  });

  it("hands no slot to a waiter whose client left, and gives its turn to the next", async () => {
    const gate = createAdmissionGate({ concurrency: 1, queueMax: 100, maxWaitMs: 60_000 });
    const first = await gate.enter(open);
    const gone = gate.enter(() => true);
    const next = gate.enter(open);
    first!();
    expect(await gone).toBeNull();
    expect(await next).toEqual(expect.any(Function));
    expect([gate.inFlight, gate.waiting]).toEqual([1, 0]);
  });

  it("refuses past queueMax with rate_limited, each refusal given its own later turn (retryAfter)", async () => {
    // The clock stands still while the 150 refusals are made: retryAfter is a turn's distance from now, in
    // whole seconds, so on a loaded machine (a CI run) a refusal made 100 ms after the last one could read
    // a second less than it, though its turn is later.
    jest.useFakeTimers({ now: 0 });
    let refused = 0;
    const gate = createAdmissionGate({ concurrency: 1, queueMax: 1, maxWaitMs: 60_000, onRefused: () => refused++ });
    const held = await gate.enter(open);
    const waiter = gate.enter(open);
    // No slot is released meanwhile, so the hold-time estimate stays at its first guess (20 ms a turn):
    // 150 refusals are handed turns 20 ms apart, 3 s in all.
    const afters: number[] = [];
    for (let i = 0; i < 150; i++) {
      const err = await gate.enter(open).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isAppError(err) && err.code).toBe("rate_limited");
      afters.push((err as { retryAfter: number }).retryAfter);
    }
    expect(refused).toBe(150);
    expect(afters[0]).toBe(1);
    expect([...afters].sort((x, y) => x - y)).toEqual(afters);
    expect(afters[149]).toBeGreaterThanOrEqual(3);
    held!();
    (await waiter)!();
    expect([gate.inFlight, gate.waiting]).toEqual([0, 0]);
    jest.useRealTimers();
  });

  it("serves waiters with keys round-robin by key, each key's in arrival order", async () => {
    const gate = createAdmissionGate({ concurrency: 1, queueMax: 100, maxWaitMs: 60_000 });
    const order: string[] = [];
    const held = await gate.enter(open, "mallory");
    // Each releases its slot as soon as it has it.
    const wait = (key: string, n: number) => gate.enter(open, key).then((release) => (order.push(`${key}${n}`), release!()));
    const queued = [wait("mallory", 1), wait("mallory", 2), wait("mallory", 3), wait("alice", 1), wait("mallory", 4), wait("bob", 1), wait("alice", 2)];
    expect(gate.waiting).toBe(7);
    held!();
    await Promise.all(queued);
    // alice's first image waits for one of mallory's, not for all four.
    expect(order).toEqual(["mallory1", "alice1", "bob1", "mallory2", "alice2", "mallory3", "mallory4"]);
  });

  it("estimates a key's wait from the waiters served before it, so a newcomer is not refused behind another's long line", async () => {
    // Slots held 1 s each: a line of 3 is 3 s long, over maxWaitMs; one turn is not.
    const gate = createAdmissionGate({ concurrency: 1, queueMax: 100, maxWaitMs: 2_500, holdMs: 1_000 });
    const held = await gate.enter(open, "mallory");
    const queued = [1, 2, 3].map(() => gate.enter(open, "mallory"));
    await expect(gate.enter(open, "mallory")).rejects.toMatchObject({ code: "rate_limited" });
    const alice = gate.enter(open, "alice");
    expect(gate.waiting).toBe(4);
    held!();
    const first = await Promise.race([alice.then(() => "alice"), queued[0].then(() => "mallory")]);
    expect(first).toBe("mallory");
    (await queued[0])!();
    expect(await Promise.race([alice.then(() => "alice"), queued[1].then(() => "mallory")])).toBe("alice");
    (await alice)!();
    for (const p of queued.slice(1)) (await p)!();
  });

  it("makes room in a full queue by refusing the newest waiter of the longest line, never a shorter line's", async () => {
    const refusedCount = { n: 0 };
    const gate = createAdmissionGate({ concurrency: 1, queueMax: 4, maxWaitMs: 60_000, onRefused: () => refusedCount.n++ });
    const held = await gate.enter(open, "mallory");
    const outcome = (p: Promise<(() => void) | null>) => p.then((release) => ({ release }), (err: unknown) => ({ err }));
    // One address fills the queue.
    const mallory = [1, 2, 3, 4].map(() => outcome(gate.enter(open, "mallory")));
    // Its own next handshake is refused: its line is the longest.
    await expect(gate.enter(open, "mallory")).rejects.toMatchObject({ code: "rate_limited", retryAfter: expect.any(Number) });
    // Another address gets in; mallory's newest waiter is refused in its place.
    const alice = outcome(gate.enter(open, "alice"));
    // Settled promises' callbacks have all run once the event loop turns (no time passes for the gate).
    let aliceSettled = false;
    void alice.then(() => (aliceSettled = true));
    await new Promise(setImmediate);
    expect(aliceSettled).toBe(false);
    expect(await mallory[3]).toMatchObject({ err: { code: "rate_limited", retryAfter: expect.any(Number) } });
    const bob = outcome(gate.enter(open, "bob"));
    expect(await mallory[2]).toMatchObject({ err: { code: "rate_limited" } });
    expect(gate.waiting).toBe(4);
    // mallory 2, alice 1, bob 1: carol takes room from mallory (2 > 0 + 1) …
    const carol = outcome(gate.enter(open, "carol"));
    expect(await mallory[1]).toMatchObject({ err: { code: "rate_limited" } });
    // … but with mallory, alice, bob and carol at one each, dave finds no longer line and is refused himself.
    await expect(gate.enter(open, "dave")).rejects.toMatchObject({ code: "rate_limited" });
    expect(refusedCount.n).toBe(5);
    // Everyone still queued is served, in turn.
    const order: string[] = [];
    held!();
    for (const [name, p] of [["mallory", mallory[0]], ["alice", alice], ["bob", bob], ["carol", carol]] as const) {
      const got = await p;
      expect(got).toMatchObject({ release: expect.any(Function) });
      order.push(name);
      (got as { release: () => void }).release();
    }
    expect(order).toEqual(["mallory", "alice", "bob", "carol"]);
    expect([gate.inFlight, gate.waiting]).toEqual([0, 0]);
  });

  it("lets everything through when concurrency is 0 (off)", async () => {
    const gate = createAdmissionGate({ concurrency: 0, queueMax: 0, maxWaitMs: 0 });
    await Promise.all(Array.from({ length: 100 }, () => gate.enter(open)));
    expect([gate.inFlight, gate.waiting]).toEqual([0, 0]);
  });
});

describe("the web client's retry after a refusal", () => {
  const refusal = (data: unknown) => Object.assign(new Error("busy"), { data });
  it("waits the server's retryAfter plus up to 20 %", () => {
    expect(retryDelayOf(refusal({ code: "rate_limited", retryAfter: 3 }), () => 0)).toBe(3000);
    expect(retryDelayOf(refusal({ code: "rate_limited", retryAfter: 3 }), () => 0.999)).toBe(3599);
  });
  it("also comes back by itself when the server could not reach its database (unavailable), not as if signed out", () => {
    expect(retryDelayOf(refusal({ code: "unavailable", retryAfter: 5 }), () => 0)).toBe(5000);
  });
  it("does not retry other refusals", () => {
    expect(retryDelayOf(refusal({ code: "rate_limited" }))).toBeNull(); // too many connections per user
    expect(retryDelayOf(refusal({ code: "unauthorized", retryAfter: 3 }))).toBeNull();
    expect(retryDelayOf(refusal(undefined))).toBeNull();
  });
});
