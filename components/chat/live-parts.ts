/**
 * The parts of a room that matter only once it is live (the socket has joined it), in one chunk fetched
 * right after the first render (`useLoaded`, preloadable.ts), so that the page's first load does not carry
 * them: the composer (until it is here, a disabled stand-in: composer-shell.tsx), the new-message
 * announcer's sentences, the typing hint's words, what a message being sent says, the notice of a room
 * lost, what a room not found says (the room list, which decides that, comes with the socket) and the
 * paging back to a found message (a search result, a message link). Nobody can write, and no message,
 * typing or room change arrives, before the socket has joined, which comes later.
 */
export { Composer } from "./composer";
export { NewMessageAnnouncer } from "./new-message-announcer";
export { TypingText } from "./typing-text";
export { OutgoingState } from "./outgoing-state";
export { LostRoom } from "./lost-room";
export { MissingRoom } from "./missing-room";
export { FoundMessage } from "@/components/search/found-message";
