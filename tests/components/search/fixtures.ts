import type { SearchResult } from "@/lib/search/types";
import { message } from "../chat/fixtures";

/** Search result n: message n (bob's when n is odd, else alice's) in `room`, its snippet `text` with `highlights` marked. */
export const hit = (n: number, room: string, text: string, highlights: [number, number][] = [], over: Partial<SearchResult["room"]> = {}): SearchResult => ({
  message: message(n, { room, text, author: n % 2 ? "bob" : "alice" }),
  room: { name: room, kind: "public", ...over },
  snippet: { text, highlights },
});
