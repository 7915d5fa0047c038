/** @jest-environment jsdom */
/**
 * A page opened while the server could not say who the reader is (its database briefly gone: 503
 * unavailable, or no answer at all) asks again by itself, and shows the session once the server is
 * back; a refusal that will not heal (401) is not asked again. From an outside trial: the page stayed on
 * "Something went wrong… Try again" after the database came back, until someone clicked.
 */
import { renderHook, waitFor } from "@testing-library/react";
import { useSession } from "@/components/auth/use-session";
import { mockFetch, userSession } from "../helpers/fetch-mock";

const sessionCalls = (calls: { path: string }[]) => calls.filter((c) => c.path === "/api/session").length;

describe("useSession", () => {
  it("asks again after a 503's Retry-After and shows the session once the server answers", async () => {
    let down = true;
    const { calls } = mockFetch([
      {
        path: "/api/session",
        status: () => (down ? 503 : 200),
        body: () => (down ? { error: { code: "unavailable", message: "the server cannot check who you are right now" } } : userSession("aiko")),
        headers: { "Retry-After": "1" },
      },
    ]);
    const { result } = renderHook(() => useSession());
    await waitFor(() => expect(result.current.error).not.toBeNull());
    expect(result.current.session).toBeUndefined();
    await waitFor(() => expect(sessionCalls(calls)).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    down = false;
    await waitFor(() => expect(result.current.session?.user?.name).toBe("aiko"), { timeout: 5000 });
    expect(result.current.error).toBeNull();
  });

  it("asks again when the request got no answer at all", async () => {
    let n = 0;
    const fn = jest.fn(async () => {
      n++;
      if (n === 1) throw new TypeError("fetch failed");
      return { ok: true, status: 200, statusText: "", headers: { get: () => null }, json: async () => userSession("ken") } as unknown as Response;
    });
    globalThis.fetch = fn as unknown as typeof fetch;
    const { result } = renderHook(() => useSession());
    await waitFor(() => expect(result.current.session?.user?.name).toBe("ken"), { timeout: 6000 });
    expect(n).toBe(2);
  });

  it("does not ask again after a refusal that will not heal by waiting", async () => {
    const { calls } = mockFetch([{ path: "/api/session", status: 400, body: { error: { code: "bad_request", message: "no" } } }]);
    jest.useFakeTimers();
    try {
      const { result } = renderHook(() => useSession());
      await waitFor(() => expect(result.current.error).not.toBeNull());
      jest.advanceTimersByTime(60_000);
      expect(sessionCalls(calls)).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
