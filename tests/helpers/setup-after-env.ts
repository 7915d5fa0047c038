import "@testing-library/jest-dom";

// Drafts (components/chat/drafts.ts) live in the tab's sessionStorage: each test starts with none.
afterEach(() => {
  if (typeof window !== "undefined") window.sessionStorage.clear();
});

// The tab's Markdown allowance (components/chat/markdown/render-budget.ts) is spent per test, not per file.
if (typeof window !== "undefined") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderBudget } = require("@/components/chat/markdown/render-budget") as typeof import("@/components/chat/markdown/render-budget");
  beforeEach(() => renderBudget.reset());
}
