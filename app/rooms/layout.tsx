import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ChatProvider } from "@/components/chat/chat-provider";
import { NotificationsProvider } from "@/components/notifications/notifications-provider";
import { pageData } from "@/lib/pages/request";

/**
 * The connection and the notification stream live here so that moving between rooms keeps the same
 * socket, the same stream and the toasts on screen. A signed-in visitor's session is read here, on the
 * server, so the room renders at once instead of after a request for it.
 */
export default async function RoomsLayout({ children }: { children: ReactNode }) {
  const session = await pageData()?.session((await headers()).get("cookie") ?? undefined);
  // Nobody may read a room on a server with no account yet: /setup at once, from the server (here, as the
  // pages below stream after this layout's start has been sent, too late for a redirect's status).
  if (!session && (await pageData()?.setupRequired())) redirect("/setup");
  return (
    <ChatProvider initialSession={session ?? undefined}>
      <NotificationsProvider>{children}</NotificationsProvider>
    </ChatProvider>
  );
}
