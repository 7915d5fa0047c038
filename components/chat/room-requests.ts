/** Requests that change which rooms exist and who is in them; each resolves with the server's ack. */
import type { Ack, AddedMember, RoomSummary } from "@/lib/realtime/events";
import type { Answer } from "./chat-types";
import { ACK_TIMEOUT_MS, TIMED_OUT, type ChatSocket } from "./chat-socket";

type Done = Record<string, never>;

/** A lost ack (timeout, disconnect) reads as a failure the user can retry, never as an exception. */
const settle = <T,>(req: Promise<Ack<T>>): Promise<Answer<T>> => req.catch(() => TIMED_OUT);

export const createRoom = (socket: ChatSocket, name: string, isPrivate: boolean): Promise<Answer<{ room: RoomSummary }>> =>
  settle(socket.timeout(ACK_TIMEOUT_MS).emitWithAck("create-room", isPrivate ? { name, private: true } : { name }));

export const openDm = (socket: ChatSocket, name: string): Promise<Answer<{ room: RoomSummary }>> =>
  settle(socket.timeout(ACK_TIMEOUT_MS).emitWithAck("open-dm", { name }));

export const addMember = (socket: ChatSocket, room: string, name: string): Promise<Answer<AddedMember>> =>
  settle(socket.timeout(ACK_TIMEOUT_MS).emitWithAck("add-member", { room, name }));

export const removeMember = (socket: ChatSocket, room: string, name: string): Promise<Answer<Done>> =>
  settle(socket.timeout(ACK_TIMEOUT_MS).emitWithAck("remove-member", { room, name }));

/** An admin archives (`archived` true) or unarchives `room`. */
export const archiveRoom = (socket: ChatSocket, room: string, archived: boolean): Promise<Answer<{ room: RoomSummary }>> =>
  settle(socket.timeout(ACK_TIMEOUT_MS).emitWithAck(archived ? "archive-room" : "unarchive-room", { room }));
