/** @jest-environment jsdom */
import { act, renderHook } from "@testing-library/react";
import type { Notification } from "@/lib/notifications/types";
import { useEventStream } from "@/components/notifications/use-event-stream";
import { installFakeEventSource } from "../helpers/fake-event-source";

const note = (id: string, over: Partial<Notification> = {}): Notification => ({
  id, type: "mention", message: `hello ${id}`, room: "general", from: "bob", timestamp: "2025-01-02T10:00:00.000Z", ...over,
});

let sources: ReturnType<typeof installFakeEventSource>;

beforeEach(() => {
  jest.useFakeTimers();
  sources = installFakeEventSource();
});

afterEach(() => {
  jest.useRealTimers();
});

describe("useEventStream", () => {
  it("opens the same-origin stream without credentials in the URL and reports when it is connected", () => {
    const { result } = renderHook(() => useEventStream());
    expect(sources.all()).toHaveLength(1);
    expect(sources.latest().url).toBe("/api/notifications/stream");
    expect(result.current.status).toBe("connecting");
    act(() => sources.latest().connect());
    expect(result.current.status).toBe("connected");
  });

  it("keeps each notification once, by id, and exposes the newest as `last`", () => {
    const { result } = renderHook(() => useEventStream());
    const source = sources.latest();
    act(() => source.connect());
    act(() => source.send(note("1"), { id: "1" }));
    act(() => source.send(note("1", { message: "replayed" }), { id: "1" }));
    act(() => source.send(note("2"), { id: "2" }));
    expect(result.current.events.map((n) => n.id)).toEqual(["1", "2"]);
    expect(result.current.events[0].message).toBe("hello 1");
    expect(result.current.last?.id).toBe("2");
  });

  it("says disconnected while the browser is offline, whatever the open stream thinks, and its own state once back", () => {
    const online = jest.spyOn(navigator, "onLine", "get");
    try {
      const { result } = renderHook(() => useEventStream());
      act(() => sources.latest().connect());
      expect(result.current.status).toBe("connected");
      online.mockReturnValue(false);
      act(() => void window.dispatchEvent(new Event("offline")));
      expect(result.current.status).toBe("disconnected");
      // The stream is left to resume by itself (Last-Event-ID): no new EventSource, nothing closed.
      expect(sources.all()).toHaveLength(1);
      expect(sources.latest().close).not.toHaveBeenCalled();
      online.mockReturnValue(true);
      act(() => void window.dispatchEvent(new Event("online")));
      expect(result.current.status).toBe("connected");
    } finally {
      online.mockRestore();
    }
  });

  it("makes the new EventSource at once when the network comes back during a backoff", () => {
    const online = jest.spyOn(navigator, "onLine", "get");
    try {
      const { result } = renderHook(() => useEventStream());
      online.mockReturnValue(false);
      act(() => void window.dispatchEvent(new Event("offline")));
      act(() => sources.latest().fail(true));
      expect(result.current.status).toBe("disconnected");
      act(() => jest.advanceTimersByTime(500));
      expect(sources.all()).toHaveLength(1);
      online.mockReturnValue(true);
      act(() => void window.dispatchEvent(new Event("online")));
      expect(sources.all()).toHaveLength(2);
      expect(result.current.status).toBe("connecting");
      act(() => sources.latest().connect());
      expect(result.current.status).toBe("connected");
    } finally {
      online.mockRestore();
    }
  });

  it("leaves the browser's own reconnects alone", () => {
    const { result } = renderHook(() => useEventStream());
    act(() => sources.latest().connect());
    act(() => sources.latest().fail(false));
    expect(result.current.status).toBe("connecting");
    act(() => jest.advanceTimersByTime(60_000));
    expect(sources.all()).toHaveLength(1);
  });

  it("makes a new EventSource after the browser gave up, backing off 1 s, 2 s, 4 s … and starting over after a success", () => {
    const { result } = renderHook(() => useEventStream());
    act(() => sources.latest().fail(true));
    expect(result.current.status).toBe("disconnected");
    expect(sources.latest().close).toHaveBeenCalled();

    act(() => jest.advanceTimersByTime(999));
    expect(sources.all()).toHaveLength(1);
    act(() => jest.advanceTimersByTime(1));
    expect(sources.all()).toHaveLength(2);
    expect(result.current.status).toBe("connecting");

    act(() => sources.latest().fail(true));
    act(() => jest.advanceTimersByTime(1_999));
    expect(sources.all()).toHaveLength(2);
    act(() => jest.advanceTimersByTime(1));
    expect(sources.all()).toHaveLength(3);

    act(() => sources.latest().fail(true));
    act(() => jest.advanceTimersByTime(4_000));
    expect(sources.all()).toHaveLength(4);

    // Success resets the delay to 1 s.
    act(() => sources.latest().connect());
    expect(result.current.status).toBe("connected");
    act(() => sources.latest().fail(true));
    act(() => jest.advanceTimersByTime(1_000));
    expect(sources.all()).toHaveLength(5);
  });

  it("never waits more than 30 s between attempts", () => {
    renderHook(() => useEventStream());
    for (let i = 0; i < 8; i++) {
      act(() => sources.latest().fail(true));
      act(() => jest.advanceTimersByTime(30_000));
    }
    expect(sources.all()).toHaveLength(9);
  });

  it("still deduplicates across a replacement EventSource", () => {
    const { result } = renderHook(() => useEventStream());
    act(() => sources.latest().send(note("5")));
    act(() => sources.latest().fail(true));
    act(() => jest.advanceTimersByTime(1_000));
    act(() => sources.latest().send(note("5")));
    act(() => sources.latest().send(note("6")));
    expect(result.current.events.map((n) => n.id)).toEqual(["5", "6"]);
  });

  it("reports the server's `event: error` message without treating it as a lost connection", () => {
    const { result } = renderHook(() => useEventStream());
    act(() => sources.latest().connect());
    act(() => sources.latest().send({ message: "could not replay missed notifications" }, { event: "error" }));
    expect(result.current.problem).toBe("could not replay missed notifications");
    expect(result.current.status).toBe("connected");
    act(() => jest.advanceTimersByTime(60_000));
    expect(sources.all()).toHaveLength(1);
  });

  it("closes the stream and leaves no timer behind on unmount", () => {
    const { unmount } = renderHook(() => useEventStream());
    const source = sources.latest();
    act(() => source.connect());
    unmount();
    expect(source.close).toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });

  it("cancels a pending reconnect on unmount", () => {
    const { unmount } = renderHook(() => useEventStream());
    act(() => sources.latest().fail(true));
    expect(jest.getTimerCount()).toBe(1);
    unmount();
    expect(jest.getTimerCount()).toBe(0);
    act(() => jest.advanceTimersByTime(60_000));
    expect(sources.all()).toHaveLength(1);
  });

  it("opens nothing while disabled (guests have no stream)", () => {
    const { result } = renderHook(() => useEventStream(undefined, { enabled: false }));
    expect(sources.all()).toHaveLength(0);
    expect(result.current.status).toBe("disconnected");
  });
});
