/** The browser side of `GET /api/search` (session cookie). */
import { api } from "@/components/auth/api";
import type { SearchPage } from "@/lib/search/types";

/**
 * One page of results for `q` (older than `cursor` when given); throws the refusal (an ApiError: its
 * code, and the reason when the query broke a rule), or a `network` one when there was no answer.
 */
export function fetchSearch(q: string, cursor?: string, signal?: AbortSignal): Promise<SearchPage> {
  const params = new URLSearchParams({ q });
  if (cursor) params.set("cursor", cursor);
  return api<SearchPage>("GET", `/api/search?${params}`, undefined, signal);
}
