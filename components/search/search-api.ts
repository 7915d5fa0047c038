/** The browser side of `GET /api/search` (session cookie). */
import type { SearchPage } from "@/lib/search/types";

/** One page of results for `q` (older than `cursor` when given); throws an Error with the server's message. */
export async function fetchSearch(q: string, cursor?: string, signal?: AbortSignal): Promise<SearchPage> {
  const params = new URLSearchParams({ q });
  if (cursor) params.set("cursor", cursor);
  const res = await fetch(`/api/search?${params}`, { credentials: "same-origin", signal });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `search failed (${res.status})`);
  return body as SearchPage;
}
