import type { Metadata } from "next";
import { ChatApp } from "@/components/chat/chat-app";
import { decodeRoomParam } from "@/components/chat/room-path";

type Props = { params: Promise<{ room: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `#${decodeRoomParam((await params).room)}` };
}

export default async function RoomPage({ params }: Props) {
  const { room } = await params;
  return <ChatApp room={decodeRoomParam(room)} />;
}
