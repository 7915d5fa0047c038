import "@testing-library/jest-dom";

// Drafts (components/chat/drafts.ts) live in the tab's sessionStorage: each test starts with none.
afterEach(() => {
  if (typeof window !== "undefined") window.sessionStorage.clear();
});

// The tab's Markdown allowance (components/chat/markdown/render-budget.ts) is spent per test, not per file.
if (typeof window !== "undefined") {
  // waitFor / findBy* wait up to 5 s (Testing Library's default: 1 s): what they wait for may come from a
  // module loaded on first use (the Markdown parser), which took longer than 1 s on a busy CI machine.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("@testing-library/react") as typeof import("@testing-library/react")).configure({ asyncUtilTimeout: 5000 });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderBudget } = require("@/components/chat/markdown/render-budget") as typeof import("@/components/chat/markdown/render-budget");
  beforeEach(() => renderBudget.reset());
}
