import "@testing-library/jest-dom";

// Drafts (components/chat/drafts.ts) live in the tab's sessionStorage: each test starts with none.
afterEach(() => {
  if (typeof window !== "undefined") window.sessionStorage.clear();
});
