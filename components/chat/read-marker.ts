/**
 * Tells the server how far the user has read the open room, so unread counts on their other tabs and
 * devices clear. Debounced (a busy room would otherwise send one mark per message) and held back while
 * the tab is hidden: a message that arrived in a background tab has not been read.
 */
import type { ChatSocket } from "./chat-socket";
import type { RoomCursors } from "./room-cursors";

const MARK_READ_DELAY_MS = 1_000;

export class ReadMarker {
  private readonly sent = new Map<string, number>();
  private timer?: ReturnType<typeof setTimeout>;
  private readonly onVisible = () => this.schedule();

  constructor(
    private readonly socket: ChatSocket,
    private readonly cursors: RoomCursors,
    private readonly room: () => string | null,
  ) {
    if (typeof document !== "undefined") document.addEventListener("visibilitychange", this.onVisible);
  }

  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), MARK_READ_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (typeof document !== "undefined") document.removeEventListener("visibilitychange", this.onVisible);
  }

  private flush(): void {
    const room = this.room();
    if (!room || !this.socket.connected) return;
    if (typeof document !== "undefined" && document.visibilityState === "hidden") return;
    const seq = this.cursors.seq(room);
    if (!seq || seq <= (this.sent.get(room) ?? 0)) return;
    this.sent.set(room, seq);
    this.socket.emit("mark-read", { room, seq }, () => {});
  }
}
