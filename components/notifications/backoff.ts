/** Reconnect delays: 1 s, 2 s, 4 s … capped at 30 s; a successful connection starts over at 1 s. */
export const BACKOFF_START_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

export class Backoff {
  private attempt = 0;
  next(): number {
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 16);
    return delay;
  }
  reset(): void {
    this.attempt = 0;
  }
}
