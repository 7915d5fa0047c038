/** @jest-environment jsdom */
/**
 * Taking away one's reaction when nobody else has it removes its chip (and with a message's last emoji,
 * its whole list of chips). The keyboard focus was on that chip: it goes to the chip after it, else the
 * one before, else the message itself — never to the page, where a keyboard user would start over.
 */
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { MessageList } from "@/components/chat/message-list";
import type { Message, MessageChanges } from "@/components/chat/chat-types";
import { message } from "./fixtures";
import { messageActionsReady } from "./message-actions-ready";

beforeAll(messageActionsReady);

type Reaction = { emoji: string; count: number; users: string[] };

/** The list with one message of bob's carrying `reactions`; a toggle of "me" updates it as the server would. */
function World({ reactions }: { reactions: Reaction[] }) {
  const [messages, setMessages] = useState<Message[]>([message(1, { author: "bob", reactions } as Partial<Message>)]);
  const changes: MessageChanges = {
    edit: jest.fn(async () => null),
    remove: jest.fn(async () => null),
    react: async (m, emoji) => {
      setMessages((list) =>
        list.map((x) => {
          if (x.id !== m.id) return x;
          const next = (x.reactions ?? [])
            .map((r) => (r.emoji !== emoji ? r : r.users.includes("me") ? { ...r, count: r.count - 1, users: r.users.filter((u) => u !== "me") } : { ...r, count: r.count + 1, users: [...r.users, "me"] }))
            .filter((r) => r.count > 0);
          return { ...x, reactions: next };
        }),
      );
      return null;
    },
  };
  return <MessageList room="general" messages={messages} hasMore={false} loadingOlder={false} onLoadOlder={jest.fn()} onRetry={jest.fn()} me="me" changes={changes} />;
}

const chip = (emoji: string) => [...document.querySelectorAll<HTMLElement>(".reaction-chip")].find((b) => b.textContent!.startsWith(emoji))!;
const theMessage = () => within(screen.getByRole("log")).getAllByRole("listitem").find((li) => li.classList.contains("message"))!;

async function takeBack(emoji: string) {
  const user = userEvent.setup();
  act(() => chip(emoji).focus());
  await user.keyboard("{Enter}");
}

describe("the focus after one's own reaction is taken away", () => {
  it("goes to the next chip when its chip goes", async () => {
    render(<World reactions={[{ emoji: "👍", count: 1, users: ["me"] }, { emoji: "🎉", count: 2, users: ["bob", "ann"] }]} />);
    await takeBack("👍");
    expect(chip("👍")).toBeUndefined();
    expect(chip("🎉")).toHaveFocus();
  });

  it("goes to the chip before when it was the last", async () => {
    render(<World reactions={[{ emoji: "🎉", count: 1, users: ["bob"] }, { emoji: "👀", count: 1, users: ["me"] }]} />);
    await takeBack("👀");
    expect(chip("🎉")).toHaveFocus();
  });

  it("goes to the message when the last chip goes", async () => {
    render(<World reactions={[{ emoji: "👍", count: 1, users: ["me"] }]} />);
    await takeBack("👍");
    expect(chip("👍")).toBeUndefined();
    expect(theMessage()).toHaveFocus();
  });

  it("stays on the chip when others still have that reaction (the chip stays)", async () => {
    render(<World reactions={[{ emoji: "👍", count: 2, users: ["bob", "me"] }]} />);
    await takeBack("👍");
    expect(chip("👍")).toHaveFocus();
    expect(chip("👍")).toHaveTextContent("👍 1");
  });
});

describe("who reacted, in a chip's name and tooltip", () => {
  it("isolates each name in the tooltip, so two right-to-left names keep their order, and lists them as the UI's language does", async () => {
    const { LangProvider, loadLang } = await import("@/components/i18n/use-t");
    await loadLang("ja");
    render(
      <LangProvider lang="ja">
        <World reactions={[{ emoji: "👍", count: 2, users: ["سارة", "עדי"] }]} />
      </LangProvider>,
    );
    const button = chip("👍");
    // Spoken: no isolates, the Japanese list's comma.
    expect(button).toHaveAccessibleName("👍 2: سارة、עדי");
    // Shown: each name in its own isolate inside the sentence's.
    expect(button.getAttribute("title")).toBe("\u2068\u2068سارة\u2069、\u2068עדי\u2069\u2069が\u2068👍\u2069でリアクションしました");
  });
});
