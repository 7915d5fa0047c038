import type { Metadata } from "next";
import { ChatApp } from "@/components/chat/chat-app";
import { decodeRoomParam } from "@/components/chat/room-path";

type Props = { params: Promise<{ room: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const room = decodeRoomParam((await params).room);
  // A DM's address ("dm:3:7") means nothing to people; the page sets the other person's name once known.
  return { title: room.startsWith("dm:") ? "Direct message" : `#${room}` };
}

export default async function RoomPage({ params }: Props) {
  const { room } = await params;
  return <ChatApp room={decodeRoomParam(room)} />;
}
