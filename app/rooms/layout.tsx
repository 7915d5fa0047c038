import type { ReactNode } from "react";
import { ChatProvider } from "@/components/chat/chat-provider";
import { NotificationsProvider } from "@/components/notifications/notifications-provider";

/**
 * The connection and the notification stream live here so that moving between rooms keeps the same
 * socket, the same stream and the toasts on screen.
 */
export default function RoomsLayout({ children }: { children: ReactNode }) {
  return (
    <ChatProvider>
      <NotificationsProvider>{children}</NotificationsProvider>
    </ChatProvider>
  );
}
