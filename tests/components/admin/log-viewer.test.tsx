/** @jest-environment jsdom */
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { LogViewer } from "@/components/admin/log-viewer";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { installFakeEventSource } from "../helpers/fake-event-source";
import { isolated } from "../helpers/isolated";

let sources: ReturnType<typeof installFakeEventSource>;
let nextId = 1;

beforeEach(() => {
  jest.useFakeTimers();
  sources = installFakeEventSource();
  nextId = 1;
});

afterEach(() => {
  jest.useRealTimers();
});

function record(level: string, message = `${level} record ${nextId}`) {
  const id = String(nextId++);
  return { id, level, message, timestamp: "2025-01-02T10:00:00.000Z", module: "http" };
}

/** Plays records as the server does (events named by level), then lets the viewer's batch land. */
function emit(...records: ReturnType<typeof record>[]) {
  act(() => {
    for (const r of records) sources.latest().send(r, { event: r.level, id: r.id });
    jest.advanceTimersByTime(20);
  });
}

function setup() {
  const utils = render(
    <LangProvider lang="en">
      <LogViewer />
    </LangProvider>,
  );
  act(() => sources.latest().connect());
  const list = screen.getByRole("log", { name: "Log entries" });
  const rows = () => within(list).queryAllByRole("listitem").filter((li) => li.classList.contains("log-row"));
  return { ...utils, list, rows, user: userEvent.setup({ advanceTimers: jest.advanceTimersByTime }) };
}

describe("LogViewer", () => {
  it("listens to the admin stream and shows its state", () => {
    setup();
    expect(sources.latest().url).toBe("/api/admin/logs/stream");
    expect(screen.getByRole("status")).toHaveTextContent("Log stream · Connected");
  });

  it("says which level boxes stay empty: those below the lowest level the server sends (its greeting)", () => {
    render(
      <LangProvider lang="en">
        <LogViewer />
      </LangProvider>,
    );
    act(() => sources.latest().connect({ level: "warn" }));
    const levels = screen.getByRole("group", { name: "Levels" });
    const note = isolated`The server does not send ${"debug, info"} records here: the lowest level it sends is ${"warn"} (LOG_LEVEL and LOG_STREAM_LEVEL).`;
    expect(screen.getByText(note)).toBeInTheDocument();
    expect(levels).toHaveAccessibleDescription(note);
  });

  it("says nothing about the levels when the server sends every shown one, or does not say its level", () => {
    const { unmount } = render(
      <LangProvider lang="en">
        <LogViewer />
      </LangProvider>,
    );
    act(() => sources.latest().connect({ level: "debug" }));
    expect(screen.queryByText(/does not send/)).toBeNull();
    expect(screen.getByRole("group", { name: "Levels" })).not.toHaveAttribute("aria-describedby");
    unmount();
    setup();
    expect(screen.queryByText(/does not send/)).toBeNull();
  });

  it("says so in Japanese, and that nothing comes when the log is silent", async () => {
    await act(() => loadLang("ja"));
    render(
      <LangProvider lang="ja">
        <LogViewer />
      </LangProvider>,
    );
    act(() => sources.latest().connect({ level: "silent" }));
    expect(screen.getByText("サーバーはここにログを送りません（LOG_LEVELがsilentです）。")).toBeInTheDocument();
  });

  it("shows records from the level-named events, and ignores unnamed ones", () => {
    const { rows } = setup();
    emit(record("info", "GET /rooms/general"), record("warn", "slow query"), record("error", "boom"));
    act(() => {
      sources.latest().send(record("info", "unnamed"));
      jest.advanceTimersByTime(20);
    });
    expect(rows().map((r) => r.getAttribute("data-level"))).toEqual(["info", "warn", "error"]);
    expect(rows()[2]).toHaveTextContent("boom");
    expect(screen.queryByText("unnamed")).toBeNull();
  });

  it("keeps at most 1000 entries, dropping the oldest", () => {
    const { rows } = setup();
    emit(...Array.from({ length: 1005 }, () => record("info")));
    expect(rows()).toHaveLength(1000);
    expect(rows()[0]).toHaveTextContent("info record 6");
    expect(rows()[999]).toHaveTextContent("info record 1005");
    expect(screen.getByText("1000 entries")).toBeInTheDocument();
  });

  it("shows each record once, by id", () => {
    const { rows } = setup();
    const r = record("info");
    emit(r, r, { ...r, message: "again" });
    expect(rows()).toHaveLength(1);
  });

  it("empties on Clear, and a replayed backlog does not bring cleared entries back", async () => {
    const { rows, user } = setup();
    const old = [record("info"), record("warn")];
    emit(...old);
    await user.click(screen.getByRole("button", { name: "Clear" }));
    expect(rows()).toHaveLength(0);
    expect(screen.getByText("No log entries yet.")).toBeInTheDocument();
    emit(...old, record("info", "fresh"));
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveTextContent("fresh");
  });

  it("hides the levels that are unticked", async () => {
    const { rows, user } = setup();
    emit(record("debug"), record("info"), record("warn"), record("error"));
    await user.click(screen.getByRole("checkbox", { name: "info" }));
    expect(rows().map((r) => r.getAttribute("data-level"))).toEqual(["debug", "warn", "error"]);
    await user.click(screen.getByRole("checkbox", { name: "warn" }));
    await user.click(screen.getByRole("checkbox", { name: "debug" }));
    expect(rows().map((r) => r.getAttribute("data-level"))).toEqual(["error"]);
    await user.click(screen.getByRole("checkbox", { name: "info" }));
    expect(rows().map((r) => r.getAttribute("data-level"))).toEqual(["info", "error"]);
  });

  it("sticks to the bottom only while auto-scroll is on", async () => {
    const { list, user } = setup();
    Object.defineProperty(list, "scrollHeight", { configurable: true, get: () => 5_000 });
    emit(record("info"));
    expect(list.scrollTop).toBe(5_000);

    const toggle = screen.getByRole("checkbox", { name: "Auto-scroll" });
    expect(toggle).toBeChecked();
    await user.click(toggle);
    list.scrollTop = 120;
    emit(record("info"), record("warn"));
    expect(list.scrollTop).toBe(120);

    await user.click(toggle);
    expect(list.scrollTop).toBe(5_000);
  });

  it("renders a hostile log message as text", () => {
    const { list } = setup();
    emit(record("warn", '<img src=x onerror="alert(1)">'));
    expect(list.querySelector("img")).toBeNull();
    expect(within(list).getByText('<img src=x onerror="alert(1)">')).toBeInTheDocument();
  });

  it("closes the stream on unmount", () => {
    const { unmount } = setup();
    const source = sources.latest();
    unmount();
    expect(source.close).toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });
});
