/**
 * @jest-environment jsdom
 *
 * The tab's Markdown allowance (components/chat/markdown/render-budget.ts): a member posting messages
 * that take micromark 0.15–0.5 s each (syntax-dense text) cannot keep every reader's tab busy.
 */
import { act, render } from "@testing-library/react";
import MessageMarkdown from "@/components/chat/markdown/message-markdown";
import {
  ALWAYS_RENDERED_CHARS,
  createRenderBudget,
  RENDER_MS_PER_WINDOW,
  RENDER_WINDOW_MS,
  renderBudget,
  SLOW_RENDER_MS,
} from "@/components/chat/markdown/render-budget";

jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

const long = (word: string) => `${word} `.repeat(Math.ceil((ALWAYS_RENDERED_CHARS + 10) / (word.length + 1)));

describe("createRenderBudget", () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000;
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it("always renders short texts and never counts them", () => {
    const budget = createRenderBudget(now);
    for (let i = 0; i < 100; i++) budget.charge("- a\n".repeat(50), 100);
    expect(budget.mayRender("- a\n".repeat(50))).toBe(true);
    expect(budget.mayRender(long("word"))).toBe(true);
  });

  it("renders long texts while the window's allowance lasts, then waits for the next window", () => {
    const budget = createRenderBudget(now);
    const text = long("item");
    budget.charge(text, RENDER_MS_PER_WINDOW - 1);
    expect(budget.mayRender(long("other"))).toBe(true);
    budget.charge(long("other"), 1);
    expect(budget.mayRender(long("third"))).toBe(false);
    const woken = jest.fn();
    budget.waitForRefill(woken);
    clock += RENDER_WINDOW_MS - 1;
    jest.advanceTimersByTime(RENDER_WINDOW_MS - 1);
    expect(woken).not.toHaveBeenCalled();
    clock += 1;
    jest.advanceTimersByTime(1);
    expect(woken).toHaveBeenCalledTimes(1);
    expect(budget.mayRender(long("third"))).toBe(true);
  });

  it("shows a text whose render was slow twice as written from then on, whatever the allowance", () => {
    const budget = createRenderBudget(now);
    const dense = "- a\n".repeat(1000);
    budget.charge(dense, SLOW_RENDER_MS);
    clock += 10 * RENDER_WINDOW_MS;
    // Once may be a cold parser (a tab's first renders, a busy machine): rendered again.
    expect(budget.isSlow(dense)).toBe(false);
    expect(budget.mayRender(dense)).toBe(true);
    budget.charge(dense, SLOW_RENDER_MS);
    clock += 10 * RENDER_WINDOW_MS;
    expect(budget.isSlow(dense)).toBe(true);
    expect(budget.mayRender(dense)).toBe(false);
    expect(budget.mayRender(long("fine"))).toBe(true);
  });

  it("lets a cancelled waiter go", () => {
    const budget = createRenderBudget(now);
    budget.charge(long("x"), RENDER_MS_PER_WINDOW);
    const woken = jest.fn();
    budget.waitForRefill(woken)();
    clock += RENDER_WINDOW_MS;
    jest.advanceTimersByTime(RENDER_WINDOW_MS);
    expect(woken).not.toHaveBeenCalled();
  });
});

describe("MessageMarkdown under the tab's allowance", () => {
  afterEach(() => jest.useRealTimers());

  it("shows a long message as written while the allowance is spent, and renders it once the window has passed", () => {
    // The clock of the tab's budget (performance.now) is faked with the timers.
    jest.useFakeTimers();
    renderBudget.charge(long("spent"), RENDER_MS_PER_WINDOW);
    const text = `**release notes**\n\n${long("- item\n")}`;
    const root = render(<MessageMarkdown text={text} />).container;
    expect(root.querySelector("strong")).toBeNull();
    expect(root).toHaveTextContent("**release notes**");
    // A short one is rendered all the same.
    expect(render(<MessageMarkdown text="**short**" />).container.querySelector("strong")).toHaveTextContent("short");
    act(() => jest.advanceTimersByTime(RENDER_WINDOW_MS));
    expect(root.querySelector("strong")).toHaveTextContent("release notes");
    expect(root.querySelectorAll("li").length).toBeGreaterThan(10);
  });

  it("shows a message found slow as written wherever it appears again", () => {
    const dense = "- a\n".repeat(1000);
    renderBudget.charge(dense, SLOW_RENDER_MS);
    renderBudget.charge(dense, SLOW_RENDER_MS); // twice: once may be a cold parser
    const root = render(<MessageMarkdown text={dense} />).container;
    expect(root.querySelector("li")).toBeNull();
    expect(root.querySelector("p")?.textContent).toBe(dense);
  });
});
