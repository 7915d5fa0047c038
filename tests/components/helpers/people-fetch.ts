/**
 * A stand-in for `fetch` answering GET /api/users?q= (people-suggestions.ts) as the server does: the
 * names that start with `q`, case aside, each with its `kind` (`bots`: those of kind "bot", the others
 * accounts). `pending`: the starts whose request never gets an answer (still on its way). Returns the
 * addresses asked, in order; the caller puts the real fetch back.
 */
export function suggestPeople(names: string[], { pending = [], bots = [] }: { pending?: string[]; bots?: string[] } = {}): string[] {
  const asked: string[] = [];
  global.fetch = jest.fn(async (url: RequestInfo | URL) => {
    asked.push(String(url));
    const q = new URL(String(url), "http://x").searchParams.get("q") ?? "";
    if (pending.includes(q)) return new Promise<Response>(() => undefined);
    const users = names.filter((n) => n.toLowerCase().startsWith(q.toLowerCase())).map((name) => ({ name, kind: bots.includes(name) ? "bot" : "user" }));
    return { ok: true, status: 200, statusText: "OK", headers: new Headers(), json: async () => ({ users }) } as Response;
  }) as typeof fetch;
  return asked;
}
