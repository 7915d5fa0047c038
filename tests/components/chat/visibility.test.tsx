/** @jest-environment jsdom */
import { act, renderHook } from "@testing-library/react";
import { useChat } from "@/components/chat/use-chat";
import { fakeIo, type FakeSocket } from "./fake-socket";

jest.mock("socket.io-client", () => ({ io: jest.fn() }));

/** jsdom's tab is always visible: this one can be hidden, as switching tabs does (Page Visibility API). */
let hidden = false;
Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
function setHidden(value: boolean) {
  hidden = value;
  document.dispatchEvent(new Event("visibilitychange"));
}

describe("the tab tells the server whether it is hidden", () => {
  let sockets: FakeSocket[];
  beforeEach(() => {
    hidden = false;
    jest.useFakeTimers();
    sockets = fakeIo();
  });
  afterEach(() => jest.useRealTimers());

  async function connected() {
    const hook = renderHook(() => useChat("me"));
    await act(async () => void (await jest.advanceTimersByTimeAsync(0)));
    const socket = sockets.find((s) => s.connect.mock.calls.length > 0)!;
    act(() => socket.open());
    return { hook, socket, reports: () => socket.sent("visibility").map((e) => e.args[0]) };
  }

  it("says nothing on connect while visible (the server's default), then reports every change", async () => {
    const { reports } = await connected();
    expect(reports()).toEqual([]);
    act(() => setHidden(true));
    act(() => setHidden(false));
    expect(reports()).toEqual([{ hidden: true }, { hidden: false }]);
  });

  it("reports a hidden tab again on every connect, since a new connection starts out visible", async () => {
    const { socket, reports } = await connected();
    act(() => setHidden(true));
    act(() => socket.drop());
    // Nothing can be said while disconnected …
    act(() => setHidden(false));
    act(() => setHidden(true));
    expect(reports()).toEqual([{ hidden: true }]);
    // … so the reconnected socket is told.
    act(() => socket.open());
    expect(reports()).toEqual([{ hidden: true }, { hidden: true }]);
  });

  it("stops listening when the chat closes", async () => {
    const { hook, reports } = await connected();
    hook.unmount();
    act(() => setHidden(true));
    expect(reports()).toEqual([]);
  });
});
