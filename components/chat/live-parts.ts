/**
 * The parts of a room that matter only once it is live (the socket has joined it), in one chunk fetched
 * right after the first render (`useLoaded`, preloadable.ts), so that the page's first load does not carry
 * them: the composer (until it is here, a disabled stand-in: composer-shell.tsx), the new-message
 * announcer's sentences and the typing hint's words. Nobody can write, and no message or typing arrives,
 * before the socket has joined, which comes later.
 */
export { Composer } from "./composer";
export { NewMessageAnnouncer } from "./new-message-announcer";
export { TypingText } from "./typing-text";
