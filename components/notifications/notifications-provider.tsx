"use client";
/**
 * Notifications for the signed-in user across the whole chat: mounted in the rooms layout, so the
 * stream and its toasts survive moving between rooms. Guests have no stream (the server refuses it).
 * The machinery (stream, toasts, badge) is `notifications-runtime.tsx`, fetched after the first render
 * so that it stays out of the chat page's first-load JavaScript; until it has loaded the value is null.
 */
import { createContext, lazy, Suspense, use, useEffect, useState, type ReactNode } from "react";
import { useOptionalChatContext } from "@/components/chat/chat-provider";
import type { DesktopPermission } from "./use-desktop-notifications";
import type { StreamStatus } from "./event-source-loop";

export type NotificationsValue = {
  status: StreamStatus;
  desktop: { permission: DesktopPermission; request(): Promise<void> };
};

const NotificationsContext = createContext<NotificationsValue | null>(null);

/** The stream's state and the desktop opt-in; null for guests and until the runtime has loaded. */
export const useNotifications = (): NotificationsValue | null => use(NotificationsContext);

const NotificationsRuntime = lazy(() =>
  import("./notifications-runtime").then((m) => ({ default: m.NotificationsRuntime })),
);

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const chat = useOptionalChatContext();
  const enabled = !!chat?.account;
  const currentRoom = chat?.state.currentRoom ?? null;
  const [value, setValue] = useState<NotificationsValue | null>(null);
  // Rendered only after hydration: neither the server's HTML nor the first render names the chunk.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <NotificationsContext value={enabled ? value : null}>
      {children}
      {mounted && (
        <Suspense fallback={null}>
          <NotificationsRuntime enabled={enabled} currentRoom={currentRoom} onValue={setValue} />
        </Suspense>
      )}
    </NotificationsContext>
  );
}
