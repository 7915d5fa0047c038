import type { ReactNode } from "react";
import { ChatProvider } from "@/components/chat/chat-provider";

/** The connection lives here so that moving between rooms keeps the same socket. */
export default function RoomsLayout({ children }: { children: ReactNode }) {
  return <ChatProvider>{children}</ChatProvider>;
}
