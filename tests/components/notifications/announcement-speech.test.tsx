/** @jest-environment jsdom */
/**
 * An admin's announcement is read once. Its toast shows the text as written while the Markdown parser
 * (a chunk of its own) loads, then the rendered text in its place; both are additions to the toasts'
 * live region, so the one shown meanwhile must not be read. Its own file: the parser's chunk is not
 * loaded yet when the first announcement arrives, as on a page's first one.
 */
import { render, screen, waitFor, within } from "@testing-library/react";
import type { Notification } from "@/lib/notifications/types";
import { LangProvider } from "@/components/i18n/use-t";
import { Toasts } from "@/components/notifications/toasts";

jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

/** The text a screen reader gets from `node` added to a live region: aria-hidden subtrees left out. */
function spoken(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? "";
  if (!(node instanceof Element) || node.getAttribute("aria-hidden") === "true") return "";
  return [...node.childNodes].map(spoken).join("");
}

it("reads an announcement's text once: not the text shown while the parser loads, then the rendered one again", async () => {
  const additions: string[] = [];
  const observer = new MutationObserver((records) => {
    for (const r of records) for (const node of r.addedNodes) if ((r.target as Element).closest(".toasts")) additions.push(spoken(node));
  });
  observer.observe(document.body, { childList: true, subtree: true });
  const announcement: Notification = { id: "1", type: "system", message: "Maintenance **tonight** at 18:00", from: "admin", timestamp: "2025-01-02T10:00:00.000Z" };
  render(
    <LangProvider lang="en">
      <Toasts notifications={[announcement]} currentRoom="general" />
    </LangProvider>,
  );
  const toast = screen.getByRole("article");
  // The Markdown parser loads lazily: on a busy machine that takes longer than waitFor's 1 s default.
  await waitFor(() => expect(within(toast).getByText("tonight").tagName).toBe("STRONG"), { timeout: 10_000 });
  // What the observer has not been told yet (it is told in a microtask).
  additions.push(...observer.takeRecords().flatMap((r) => [...r.addedNodes].map(spoken)));
  observer.disconnect();
  expect(additions.filter((text) => text.includes("Maintenance")).length).toBe(1);
});
