/**
 * The client's JSON requests (components/auth/api.ts): a success always comes with its body. A request
 * cancelled while its answer's body is read (what an effect's cleanup does when its dependencies change
 * just as the headers arrived) rejects, like one cancelled earlier: resolving with `undefined` made the
 * announcements hook read `undefined.announcements` inside a state update, which took the whole chat
 * page down ("This page couldn't load").
 */
import { api, ApiError } from "@/components/auth/api";

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});

/** A fetch whose answer has `status` and a body stream that is cut when `signal` aborts, or holds `body`. */
function answer(status: number, body: string | null) {
  global.fetch = jest.fn(async (_url: unknown, init?: RequestInit) => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        if (body !== null) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
          return;
        }
        // The headers are here, the body not yet: it fails once the request is cancelled.
        init?.signal?.addEventListener("abort", () => controller.error(new DOMException("The operation was aborted.", "AbortError")));
      },
    });
    return new Response(status === 204 ? null : stream, { status, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch;
}

test("a request cancelled while its answer's body is read rejects as a network failure", async () => {
  answer(200, null);
  const abort = new AbortController();
  const pending = api<{ announcements: unknown[] }>("GET", "/api/announcements", undefined, abort.signal);
  await Promise.resolve();
  abort.abort();
  await expect(pending).rejects.toBeInstanceOf(ApiError);
  await expect(pending).rejects.toMatchObject({ code: "network" });
});

test("a success whose body is not JSON rejects instead of resolving with nothing", async () => {
  answer(200, "<html>proxy error page</html>");
  await expect(api("GET", "/api/announcements")).rejects.toMatchObject({ code: "network" });
});

test("a success resolves with its body, and 204 with nothing", async () => {
  answer(200, JSON.stringify({ announcements: [] }));
  await expect(api("GET", "/api/announcements")).resolves.toEqual({ announcements: [] });
  answer(204, "");
  await expect(api("DELETE", "/api/announcements/1")).resolves.toBeUndefined();
});

test("a refusal keeps its code, and one without a readable body says its status", async () => {
  answer(403, JSON.stringify({ error: { code: "forbidden", message: "no" } }));
  await expect(api("GET", "/api/x")).rejects.toMatchObject({ status: 403, code: "forbidden" });
  answer(502, "bad gateway");
  await expect(api("GET", "/api/x")).rejects.toMatchObject({ status: 502, code: "internal" });
});
