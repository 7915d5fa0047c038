/** @jest-environment jsdom */
/**
 * The room switcher and the shortcut list are chunks of their own. Fetched only when first opened, they
 * left a gap in which the keys typed right after Ctrl/⌘+K were lost (an outside keyboard walkthrough:
 * "ran" typed 100 ms apart arrived as ""). They are now fetched as soon as the shortcuts' part is on the
 * page, so the first open renders at once and the next keys reach the switcher's box.
 */
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { LangProvider } from "@/components/i18n/use-t";
import type { RoomSummary } from "@/components/chat/chat-types";
import { ShortcutKeys } from "@/components/chat/keyboard/shortcut-keys";
import { useShortcutListener } from "@/components/chat/keyboard/shortcut-queue";

const room = (name: string): RoomSummary => ({ name, kind: "public", private: false, online: 0, unread: 0, lastSeq: 0, lastMessageId: null });

function Page({ onSelectRoom }: { onSelectRoom(name: string): void }) {
  useShortcutListener();
  return <ShortcutKeys rooms={[room("general"), room("random"), room("ops")]} room="general" onSelectRoom={onSelectRoom} />;
}

it("opens the switcher on the first Ctrl+K with the keys typed right after it in its box", async () => {
  const onSelectRoom = jest.fn();
  render(
    <LangProvider lang="en">
      <Page onSelectRoom={onSelectRoom} />
    </LangProvider>,
  );
  // The part is on the page; its panels' chunks come in the background.
  await act(async () => undefined);
  const user = userEvent.setup();
  await user.keyboard("{Control>}k{/Control}ran");
  expect(screen.getByRole("combobox", { name: "Room name" })).toHaveValue("ran");
  await user.keyboard("{Enter}");
  expect(onSelectRoom).toHaveBeenCalledWith("random");
});
