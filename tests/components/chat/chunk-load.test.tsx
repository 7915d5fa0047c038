/** @jest-environment jsdom */
/**
 * A chunk of the app that fails to load (chunk-load.tsx): tried again after CHUNK_RETRY_MS; once every
 * try has failed, a lazy part renders its stand-in instead of throwing (which replaced the whole page
 * with the framework's error page) and the notice with Reload shows.
 */
import { act, render, screen } from "@testing-library/react";
import { Suspense } from "react";
import { CHUNK_RETRY_MS, CHUNK_STALL_MS, ChunkLoadNotice, lazyPart, loadChunk } from "@/components/chat/chunk-load";
import { LangProvider } from "@/components/i18n/use-t";

const chunkError = () => Object.assign(new Error("Failed to load chunk /_next/static/chunks/x.js"), { name: "ChunkLoadError" });

/** A loader that fails `failures` times, then gives `value`; `calls` counts its calls. */
function flaky<T>(failures: number, value: T) {
  const loader = Object.assign(
    async () => {
      loader.calls++;
      if (loader.calls <= failures) throw chunkError();
      return value;
    },
    { calls: 0 },
  );
  return loader;
}

beforeEach(() => {
  jest.useFakeTimers();
  jest.spyOn(console, "warn").mockImplementation(() => undefined);
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

const notice = () => screen.queryByRole("alert");

// Module state (a failure is remembered for the tab): these run in order, the failures last.
describe("loadChunk and lazyPart", () => {
  it("tries a failed chunk again after each wait and resolves with the try that works, saying nothing", async () => {
    render(<LangProvider lang="en"><ChunkLoadNotice /></LangProvider>);
    const load = flaky(2, "module");
    const result = loadChunk(load);
    await jest.advanceTimersByTimeAsync(0);
    expect(load.calls).toBe(1);
    await jest.advanceTimersByTimeAsync(CHUNK_RETRY_MS[0]);
    expect(load.calls).toBe(2);
    await jest.advanceTimersByTimeAsync(CHUNK_RETRY_MS[1] - 1);
    expect(load.calls).toBe(2);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe("module");
    expect(load.calls).toBe(3);
    expect(notice()).toBeNull();
    // Answered tries leave no stall timer behind: nothing is said later either.
    await act(() => jest.advanceTimersByTimeAsync(CHUNK_STALL_MS * 2));
    expect(notice()).toBeNull();
  });

  it("renders the part once its chunk loads after failures", async () => {
    const Part = lazyPart(flaky(1, { default: ({ word }: { word: string }) => <b>{word}</b> }));
    render(<Suspense fallback={<i>waiting</i>}><Part word="loaded" /></Suspense>);
    expect(screen.getByText("waiting")).toBeTruthy();
    await act(() => jest.advanceTimersByTimeAsync(CHUNK_RETRY_MS[0]));
    expect(screen.getByText("loaded").tagName).toBe("B");
  });

  it("says so once a try has had no answer for CHUNK_STALL_MS, still takes the answer when it comes, and then stops saying so", async () => {
    render(<LangProvider lang="en"><ChunkLoadNotice /></LangProvider>);
    const answers: ((value: string) => void)[] = [];
    let calls = 0;
    const late = () => (calls++, new Promise<string>((resolve) => answers.push(resolve)));
    const result = loadChunk(late);
    await act(() => jest.advanceTimersByTimeAsync(CHUNK_STALL_MS - 1));
    expect(notice()).toBeNull();
    // A second part asked for meanwhile, stalled too.
    const other = loadChunk(late);
    await act(() => jest.advanceTimersByTimeAsync(1));
    expect(notice()?.textContent).toMatch(/^Part of Hibiki could not be loaded/);
    await act(() => jest.advanceTimersByTimeAsync(60_000));
    await act(async () => answers[0]("late module"));
    await expect(result).resolves.toBe("late module");
    expect(calls).toBe(2);
    // One of them still has no answer: the notice stays until it comes (an outside trial: it stayed for good).
    expect(notice()).not.toBeNull();
    await act(async () => answers[1]("later module"));
    await expect(other).resolves.toBe("later module");
    expect(notice()).toBeNull();
  });

  it("rejects with the last error after every try, shows the notice, and a part then renders its stand-in with its props", async () => {
    render(<LangProvider lang="en"><ChunkLoadNotice /></LangProvider>);
    const load = flaky(Infinity, "never");
    const result = loadChunk(load);
    const settled = result.catch((err: Error) => err);
    await act(() => jest.advanceTimersByTimeAsync(CHUNK_RETRY_MS[0] + CHUNK_RETRY_MS[1]));
    expect(load.calls).toBe(1 + CHUNK_RETRY_MS.length);
    expect(((await settled) as Error).name).toBe("ChunkLoadError");
    expect(notice()?.textContent).toMatch(/^Part of Hibiki could not be loaded/);
    expect(screen.getByRole("button", { name: "Reload" })).toBeTruthy();

    const Part = lazyPart(flaky(Infinity, { default: (_: { text: string }) => <b>never</b> }), ({ text }: { text: string }) => <p>as written: {text}</p>);
    const Empty = lazyPart(flaky(Infinity, { default: () => <b>never</b> }));
    render(<Suspense fallback={<i>waiting</i>}><Part text="**hi**" /><span data-testid="empty"><Empty /></span></Suspense>);
    await act(() => jest.advanceTimersByTimeAsync(CHUNK_RETRY_MS[0] + CHUNK_RETRY_MS[1]));
    expect(screen.getByText("as written: **hi**")).toBeTruthy();
    expect(screen.getByTestId("empty").textContent).toBe("");
    expect(screen.queryByText("never")).toBeNull();
  });

  it("with `again`, asks for a part's chunk anew at its next opening after a failure; without it, the stand-in stays", async () => {
    const panel = (_: { n: number }) => <b>thread panel</b>;
    const load = flaky(1 + CHUNK_RETRY_MS.length, { default: panel });
    const Panel = lazyPart(load, ({ n }: { n: number }) => <i>missing {n}</i>, { again: true });
    // The first opening: every try fails, the stand-in shows (and stays while this opening lasts).
    const first = render(<Suspense fallback={null}><Panel n={1} /></Suspense>);
    await act(() => jest.advanceTimersByTimeAsync(CHUNK_RETRY_MS[0] + CHUNK_RETRY_MS[1]));
    expect(load.calls).toBe(1 + CHUNK_RETRY_MS.length);
    expect(screen.getByText("missing 1")).toBeTruthy();
    first.rerender(<Suspense fallback={null}><Panel n={2} /></Suspense>);
    await act(() => jest.advanceTimersByTimeAsync(0));
    expect(screen.getByText("missing 2")).toBeTruthy();
    expect(load.calls).toBe(1 + CHUNK_RETRY_MS.length);
    first.unmount();
    // Opened again (the network is back): the chunk is asked for and the part renders.
    render(<Suspense fallback={null}><Panel n={3} /></Suspense>);
    await act(() => jest.advanceTimersByTimeAsync(0));
    expect(load.calls).toBe(2 + CHUNK_RETRY_MS.length);
    expect(screen.getByText("thread panel")).toBeTruthy();

    // The same failures without `again`: a new opening still shows the stand-in, nothing is asked for.
    const once = flaky(1 + CHUNK_RETRY_MS.length, { default: panel });
    const Kept = lazyPart(once, ({ n }: { n: number }) => <i>kept {n}</i>);
    const a = render(<Suspense fallback={null}><Kept n={1} /></Suspense>);
    await act(() => jest.advanceTimersByTimeAsync(CHUNK_RETRY_MS[0] + CHUNK_RETRY_MS[1]));
    a.unmount();
    render(<Suspense fallback={null}><Kept n={2} /></Suspense>);
    await act(() => jest.advanceTimersByTimeAsync(0));
    expect(screen.getByText("kept 2")).toBeTruthy();
    expect(once.calls).toBe(1 + CHUNK_RETRY_MS.length);
  });
});
