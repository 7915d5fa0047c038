export type SseMessage = { id?: string; event: string; data: any };

/** A real HTTP client reading a Server-Sent Events stream (no EventSource polyfill, no mocks). */
export async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: SseMessage[] = [];
  const comments: string[] = [];
  let ended = false;
  if (res.ok && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const msg: SseMessage = { event: "message", data: undefined };
            let isComment = true;
            for (const line of block.split("\n")) {
              if (line.startsWith(":")) comments.push(line);
              else {
                isComment = false;
                const i = line.indexOf(":");
                const field = line.slice(0, i);
                const value = line.slice(i + 1).replace(/^ /, "");
                if (field === "id") msg.id = value;
                else if (field === "event") msg.event = value;
                else if (field === "data") msg.data = JSON.parse(value);
              }
            }
            if (!isComment) events.push(msg);
          }
        }
      } catch {
        // aborted by close()
      }
      ended = true;
    })();
  }
  return {
    status: res.status,
    headers: res.headers,
    body: res.ok ? undefined : await res.json(),
    events,
    comments,
    get ended() {
      return ended;
    },
    close: () => controller.abort(),
  };
}
