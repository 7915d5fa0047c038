import { RATE_LIMITED_RETRIES, SendQueue, UNAVAILABLE_RETRIES, type Payload } from "@/components/chat/send-queue";
import type { ChatSocket } from "@/components/chat/chat-socket";

/**
 * A message the server answers `unavailable` (its database or file store did not answer: nothing was
 * stored) is sent again with the same clientId once `retryAfter` is over, and shown failed only after
 * UNAVAILABLE_RETRIES such answers; any other refusal fails it at once.
 */
type Answer = { ok: true; data: { message: { id: string } } } | { ok: false; error: { code: string; message: string; retryAfter?: number } };

function fakeSocket(answers: Answer[]) {
  const sent: Payload[] = [];
  const socket = {
    connected: true,
    timeout: () => ({
      emit: (_event: string, payload: Payload, cb: (err: Error | null, ack?: Answer) => void) => {
        sent.push(payload);
        const answer = answers.shift() ?? { ok: true, data: { message: { id: "1" } } };
        queueMicrotask(() => cb(null, answer));
      },
    }),
  };
  return { socket: socket as unknown as ChatSocket, sent };
}

const down: Answer = { ok: false, error: { code: "unavailable", message: "try again shortly", retryAfter: 5 } };
const payload: Payload = { room: "general", message: "hello", clientId: "c1" };

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

it("sends a message again after retryAfter while the server answers unavailable, then takes its ack", async () => {
  const { socket, sent } = fakeSocket([down, down]);
  const acked = jest.fn();
  const failed = jest.fn();
  const queue = new SendQueue(() => socket, { onAcked: acked, onFailed: failed });
  queue.add(payload);
  await jest.advanceTimersByTimeAsync(4_999);
  expect(sent).toHaveLength(1);
  await jest.advanceTimersByTimeAsync(1);
  expect(sent).toHaveLength(2);
  await jest.advanceTimersByTimeAsync(5_000);
  expect(sent.map((p) => p.clientId)).toEqual(["c1", "c1", "c1"]);
  expect(acked).toHaveBeenCalledTimes(1);
  expect(failed).not.toHaveBeenCalled();
  queue.dispose();
});

it("shows the message failed after that many unavailable answers, and at once for any other refusal", async () => {
  const { socket, sent } = fakeSocket(Array.from({ length: UNAVAILABLE_RETRIES + 1 }, () => down));
  const failed = jest.fn();
  const queue = new SendQueue(() => socket, { onAcked: jest.fn(), onFailed: failed });
  queue.add(payload);
  await jest.advanceTimersByTimeAsync(5_000 * (UNAVAILABLE_RETRIES + 1));
  expect(sent).toHaveLength(UNAVAILABLE_RETRIES + 1);
  expect(failed).toHaveBeenCalledTimes(1);
  expect(failed.mock.calls[0][1]).toMatchObject({ code: "unavailable" });

  const refused = fakeSocket([{ ok: false, error: { code: "forbidden", message: "not a member" } }]);
  const failedAtOnce = jest.fn();
  const other = new SendQueue(() => refused.socket, { onAcked: jest.fn(), onFailed: failedAtOnce });
  other.add({ ...payload, clientId: "c2" });
  await jest.advanceTimersByTimeAsync(60_000);
  expect(refused.sent).toHaveLength(1);
  expect(failedAtOnce).toHaveBeenCalledTimes(1);
  queue.dispose();
  other.dispose();
});

// From an outside trial: 45 messages typed fast, the last 15 were refused `rate_limited` and left failed,
// their "try again in 5 s" never counting down and nothing sent again.
const limited: Answer = { ok: false, error: { code: "rate_limited", message: "too many messages", retryAfter: 5 } };

it("waits out a rate_limited answer and sends the message again, and holds later messages until then, in order", async () => {
  const { socket, sent } = fakeSocket([limited]);
  const acked = jest.fn();
  const failed = jest.fn();
  const queue = new SendQueue(() => socket, { onAcked: acked, onFailed: failed });
  queue.add(payload);
  await jest.advanceTimersByTimeAsync(0);
  expect(sent.map((p) => p.clientId)).toEqual(["c1"]);
  // Written while the server asks to wait: not sent before the refused one.
  queue.add({ ...payload, clientId: "c2", message: "second" });
  queue.add({ ...payload, room: "random", clientId: "c3", message: "third" });
  // A reconnect meanwhile sends nothing either.
  queue.flush();
  await jest.advanceTimersByTimeAsync(4_999);
  expect(sent.map((p) => p.clientId)).toEqual(["c1"]);
  expect(failed).not.toHaveBeenCalled();
  await jest.advanceTimersByTimeAsync(1);
  expect(sent.map((p) => p.clientId)).toEqual(["c1", "c1", "c2", "c3"]);
  expect(acked.mock.calls.map(([p]) => p.clientId)).toEqual(["c1", "c2", "c3"]);
  expect(failed).not.toHaveBeenCalled();
  queue.dispose();
});

it("shows a message failed once it was refused rate_limited more than that many times", async () => {
  const { socket, sent } = fakeSocket(Array.from({ length: RATE_LIMITED_RETRIES + 1 }, () => limited));
  const failed = jest.fn();
  const queue = new SendQueue(() => socket, { onAcked: jest.fn(), onFailed: failed });
  queue.add(payload);
  await jest.advanceTimersByTimeAsync(5_000 * (RATE_LIMITED_RETRIES + 1));
  expect(sent).toHaveLength(RATE_LIMITED_RETRIES + 1);
  expect(failed).toHaveBeenCalledTimes(1);
  expect(failed.mock.calls[0][1]).toMatchObject({ code: "rate_limited" });
  queue.dispose();
});
