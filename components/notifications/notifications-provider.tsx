"use client";
/**
 * Notifications for the signed-in user across the whole chat: mounted in the rooms layout, so the
 * stream and its toasts survive moving between rooms. Guests have no stream (the server refuses it).
 * The machinery (stream, toasts, badge) is `notifications-runtime.tsx`, fetched after the first render
 * so that it stays out of the chat page's first-load JavaScript; until it has loaded the value is null.
 */
import { lazyPart } from "@/components/chat/chunk-load";
import { createContext, Suspense, use, useEffect, useState, type ReactNode } from "react";
import { useOptionalChatContext } from "@/components/chat/chat-provider";
import type { DesktopPermission } from "./use-desktop-notifications";
import type { StreamStatus } from "./event-source-loop";

export type NotificationsValue = {
  status: StreamStatus;
  /** The desktop opt-in (use-desktop-notifications.ts): `enabled` is this browser's in-app switch. */
  desktop: { permission: DesktopPermission; request(): Promise<void>; enabled: boolean; setEnabled(on: boolean): void };
};

/** What useNotifications() reads; NotificationsProvider gives it (exported for components rendered on their own). */
export const NotificationsContext = createContext<NotificationsValue | null>(null);

/** The stream's state and the desktop opt-in; null for guests and until the runtime has loaded. */
export const useNotifications = (): NotificationsValue | null => use(NotificationsContext);

/** A reply thread shown beside the conversation: its room and its root message's id. */
export type ThreadOnScreen = { room: string; rootId: string };

const ThreadOnScreenContext = createContext<((thread: ThreadOnScreen | null) => void) | null>(null);

/**
 * Tells the notifications which reply thread is open (null: none), as long as the calling component is
 * mounted: a notification about a reply in the room on screen gets a toast unless its thread is open.
 */
export function useThreadOnScreen(thread: ThreadOnScreen | null) {
  const report = use(ThreadOnScreenContext);
  const room = thread?.room;
  const rootId = thread?.rootId;
  useEffect(() => {
    if (!report) return;
    report(room !== undefined && rootId !== undefined ? { room, rootId } : null);
    return () => report(null);
  }, [report, room, rootId]);
}

const NotificationsRuntime = lazyPart(() =>
  import("./notifications-runtime").then((m) => ({ default: m.NotificationsRuntime })),
);

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const chat = useOptionalChatContext();
  const enabled = !!chat?.account;
  const currentRoom = chat?.state.currentRoom ?? null;
  const [value, setValue] = useState<NotificationsValue | null>(null);
  const [thread, setThread] = useState<ThreadOnScreen | null>(null);
  // Rendered only after hydration: neither the server's HTML nor the first render names the chunk.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <NotificationsContext value={enabled ? value : null}>
      <ThreadOnScreenContext value={setThread}>{children}</ThreadOnScreenContext>
      {mounted && (
        <Suspense fallback={null}>
          <NotificationsRuntime enabled={enabled} currentRoom={currentRoom} currentThread={thread?.room === currentRoom ? thread.rootId : null} onValue={setValue} />
        </Suspense>
      )}
    </NotificationsContext>
  );
}
