/**
 * The 400 of a page address whose %-escapes do not decode (lib/http/app.ts's finishPages) is said in the
 * reader's language, as the app's 404 page is (an outside trial of the Japanese UI: it was English only):
 * the language the web client last spoke (its cookie), else the browser's Accept-Language, else English.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createHttpApp, finishPages } from "@/lib/http/app";

let base: string;
let close: () => void;

beforeAll(async () => {
  const app = createHttpApp({ log: pino({ level: "silent" }), ready: async () => undefined, maxPayloadBytes: 1024, trustProxy: false });
  // As server.ts mounts the pages: a route whose parameter the router decodes, then the pages' error answer.
  app.all("/{*path}", (_req, res) => void res.send("page"));
  finishPages(app);
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

async function ask(headers: Record<string, string>) {
  const res = await fetch(`${base}/rooms/%E0%A4%A`, { headers });
  return { status: res.status, lang: res.headers.get("content-language"), vary: res.headers.get("vary"), body: await res.text() };
}

it.each([
  ["a Japanese browser", { "accept-language": "ja-JP,ja;q=0.9,en;q=0.5" }, "ja", "不正なリクエスト: アドレスの形式が正しくありません"],
  ["a browser whose Hibiki speaks Japanese (its cookie), whatever the browser prefers", { "accept-language": "en-US", cookie: "hibiki_lang=ja" }, "ja", "不正なリクエスト: アドレスの形式が正しくありません"],
  ["a browser whose Hibiki speaks English in a Japanese browser", { "accept-language": "ja", cookie: "hibiki_lang=en" }, "en", "Bad Request: malformed address"],
  ["an English browser", { "accept-language": "en-GB,en;q=0.8" }, "en", "Bad Request: malformed address"],
  ["a client that says nothing (curl)", {}, "en", "Bad Request: malformed address"],
  ["a language the UI does not speak", { "accept-language": "fr", cookie: "hibiki_lang=fr" }, "en", "Bad Request: malformed address"],
])("answers %s in its language", async (_who, headers, lang, body) => {
  const answer = await ask(headers);
  expect(answer).toMatchObject({ status: 400, lang, body });
  // A cache must not hand one reader's answer to another.
  expect(answer.vary).toMatch(/Accept-Language/i);
  expect(answer.vary).toMatch(/Cookie/i);
});
