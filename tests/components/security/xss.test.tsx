/**
 * @jest-environment jsdom
 *
 * Text from other people (messages, display names, notifications) must reach the page as text: markup
 * in it is shown, never parsed, so no element is created and no handler can run.
 */
import { render, screen, within } from "@testing-library/react";
import { MemberList } from "@/components/chat/member-list";
import { MessageList } from "@/components/chat/message-list";
import { RoomList } from "@/components/chat/room-list";
import { Toasts } from "@/components/notifications/toasts";
import { message } from "../chat/fixtures";
import { isolated } from "@/tests/components/helpers/isolated";

jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));

const PAYLOAD = "<img src=x onerror=alert(1)>";
const SCRIPT = "<script>window.__pwned = true</script>";

let alertSpy: jest.SpyInstance;
beforeEach(() => {
  alertSpy = jest.spyOn(window, "alert").mockImplementation(() => {});
});
afterEach(() => {
  expect(alertSpy).not.toHaveBeenCalled();
  expect((window as { __pwned?: boolean }).__pwned).toBeUndefined();
  alertSpy.mockRestore();
});

const noMarkup = (root: HTMLElement) => {
  expect(root.querySelector("img")).toBeNull();
  expect(root.querySelector("script")).toBeNull();
};

describe("hostile text renders inert", () => {
  it("in the message list: message text and author name", () => {
    const { container } = render(
      <MessageList
        room="general" hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()}
        messages={[message(1, { author: PAYLOAD, text: PAYLOAD }), message(2, { author: PAYLOAD, text: SCRIPT })]}
      />,
    );
    noMarkup(container);
    const log = screen.getByRole("log");
    expect(within(log).getAllByText(PAYLOAD).length).toBeGreaterThanOrEqual(2);
    expect(within(log).getByText(SCRIPT)).toBeVisible();
  });

  it("in a toast: the message and the sender's name", () => {
    const { container } = render(
      <Toasts
        currentRoom="general"
        notifications={[
          { id: "1", type: "dm", message: PAYLOAD, room: "dm:1:2", roomTitle: PAYLOAD, from: PAYLOAD, timestamp: "2025-01-02T10:00:00Z" },
          { id: "2", type: "system", message: SCRIPT, from: PAYLOAD, timestamp: "2025-01-02T10:00:00Z" },
        ]}
      />,
    );
    noMarkup(container);
    const [dm, system] = screen.getAllByRole("article");
    expect(within(dm).getByText(PAYLOAD)).toBeVisible();
    expect(within(dm).getByText(isolated`Message from ${PAYLOAD}`)).toBeVisible();
    expect(within(system).getByText(SCRIPT)).toBeVisible();
  });

  it("in the member list, including its remove buttons", () => {
    const { container } = render(
      <MemberList members={[{ name: PAYLOAD, online: true }, { name: "bo", online: false }]} me="bo" onRemove={jest.fn()} />,
    );
    noMarkup(container);
    expect(screen.getByText(PAYLOAD)).toBeVisible();
    expect(screen.getByRole("button", { name: `Remove ${PAYLOAD} from the room` })).toBeInTheDocument();
  });

  it("in the room list: a DM titled with a hostile name", () => {
    const { container } = render(
      <RoomList
        currentRoom="general" onSelectRoom={jest.fn()} onCreateRoom={jest.fn()}
        rooms={[{ name: "dm:1:2", kind: "dm", private: true, title: PAYLOAD, online: 1, unread: 0, lastSeq: 0, lastMessageId: null }]}
      />,
    );
    noMarkup(container);
    expect(screen.getByRole("link", { name: new RegExp(PAYLOAD.replace(/[()]/g, "\\$&")) })).toBeInTheDocument();
  });
});
