/** @jest-environment jsdom */
import { render, screen, waitFor, within } from "@testing-library/react";
import type { Notification } from "@/lib/notifications/types";
import { MemberList } from "@/components/chat/member-list";
import { MessageList } from "@/components/chat/message-list";
import { RoomList } from "@/components/chat/room-list";
import { TypingIndicator } from "@/components/chat/typing-indicator";
import { Toasts } from "@/components/notifications/toasts";
import { notificationTitle } from "@/components/notifications/notification-text";
import { makeTranslate, loadLang } from "@/components/i18n/use-t";
import { message } from "../chat/fixtures";

// The Japanese dictionary is a chunk of its own (fetched when the UI first speaks Japanese).
beforeAll(() => loadLang("ja"));

jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

/**
 * A name with U+202E RIGHT-TO-LEFT OVERRIDE shows as "admin" and, unisolated, flips the rest of the
 * sentence it sits in. Every user string in the UI must be isolated: FSI…PDI inside sentences, <bdi>
 * around names shown on their own.
 */
const RLO = "\u202enimda";
const ARABIC = "محمد";
const FSI = "\u2068";
const PDI = "\u2069";

describe("user text cannot reorder the UI around it", () => {
  it.each([[[RLO]], [[ARABIC, RLO]], [[RLO, "bo", ARABIC]]])("typing indicator isolates every name of %j", async (names) => {
    render(<TypingIndicator names={names} />);
    // Its words come with the room's live parts (live-parts.ts), right after the first render.
    await waitFor(() => expect(screen.getByRole("status")).not.toBeEmptyDOMElement());
    const said = screen.getByRole("status").textContent ?? "";
    for (const name of names) expect(said).toContain(`${FSI}${name}${PDI}`);
    // nothing of a name is outside its isolate
    expect(said.replace(/\u2068[^\u2069]*\u2069/g, "")).not.toMatch(/[\u202e\u0600-\u06ff]/);
  });

  it("toasts isolate the sender in the title and keep the message in <bdi>", () => {
    const n: Notification = { id: "1", type: "mention", message: `${RLO} hi`, room: "general", from: RLO, timestamp: "2025-01-02T10:00:00Z" };
    render(<Toasts notifications={[n]} currentRoom="elsewhere" />);
    const toast = screen.getByRole("article");
    expect(toast.textContent).toContain(`${FSI}${RLO}${PDI} mentioned you in ${FSI}#general${PDI}`);
    expect(within(toast).getByText(`${RLO} hi`).tagName).toBe("BDI");
  });

  it("desktop-notification titles (plain text) isolate names with FSI/PDI", () => {
    const t = makeTranslate("en");
    const n: Notification = { id: "1", type: "dm", message: "x", room: "dm:1:2", from: ARABIC, timestamp: "2025-01-02T10:00:00Z" };
    expect(notificationTitle(t, n)).toBe(`Message from ${FSI}${ARABIC}${PDI}`);
    expect(notificationTitle(makeTranslate("ja"), { ...n, from: RLO })).toContain(`${FSI}${RLO}${PDI}`);
  });

  it("member list, room list and message authors show names in <bdi>, message text with dir=auto", () => {
    render(<MemberList me="cy" members={[{ name: RLO, online: true }, { name: "cy", online: true }]} />);
    expect(screen.getByText(RLO).tagName).toBe("BDI");
    render(
      <RoomList
        rooms={[{ name: ARABIC, kind: "public", private: false, online: 1, unread: 3, lastSeq: 3, lastMessageId: null }]}
        currentRoom={null} onSelectRoom={jest.fn()} onCreateRoom={jest.fn()}
      />,
    );
    expect(screen.getByText(ARABIC).tagName).toBe("BDI");
    render(
      <MessageList
        room="general" messages={[message(1, { author: ARABIC, text: `${RLO} says hi` })]}
        hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()}
      />,
    );
    const author = screen.getAllByText(ARABIC).filter((el) => el.classList.contains("message-author"));
    expect(author.map((el) => el.tagName)).toEqual(["BDI"]);
    // Its direction comes from the nearest element with `dir` (the message's text block).
    expect(screen.getByText(`${RLO} says hi`).closest("[dir]")).toHaveAttribute("dir", "auto");
  });
});
