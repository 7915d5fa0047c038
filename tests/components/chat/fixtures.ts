import type { Message } from "@/lib/realtime/events";
import type { OutgoingMessage } from "@/components/chat/chat-types";

/** Message number n in `room`: ids and seqs follow n, one minute apart. */
export function message(n: number, over: Partial<Message> = {}): Message {
  return {
    id: String(n).padStart(16, "0"),
    seq: n,
    room: "general",
    author: "alice",
    text: `hello ${n}`,
    createdAt: new Date(Date.UTC(2025, 0, 2, 10, n)).toISOString(),
    ...over,
  };
}

export function outgoing(clientId: string, over: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    clientId,
    room: "general",
    author: "me",
    text: `draft ${clientId}`,
    createdAt: new Date(Date.UTC(2025, 0, 2, 11, 0)).toISOString(),
    status: "pending",
    ...over,
  };
}
