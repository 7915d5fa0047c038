/**
 * The page speaks the reader's language from its first paint (app/layout.tsx, lib/http/reader-lang.ts
 * `langOf`): the language they chose (its cookie), else the one their browser prefers most, else English.
 * Before, the server always rendered English and a Japanese reader saw the page switch language once a
 * dictionary's chunk had come (about half a second after every load).
 */
import type { BrowserContext } from "playwright-core";
import { describeE2E, eventually, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };

describeE2E("the page's language from the first paint", () => {
  const world = useBrowserWorld();
  let session: string;

  beforeAll(async () => {
    const setup = await fetch(`${world.server.url}/api/setup`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: world.server.url },
      body: JSON.stringify({ name: "alice", password: "alice-password-1" }),
    });
    expect(setup.status).toBe(201);
    session = setup.headers.getSetCookie().find((c) => c.startsWith("hibiki_session="))!.split(";")[0];
  });

  /** The sign-in page's HTML for these request headers: its `<html lang>` and whether its title is Japanese. */
  async function served(headers: Record<string, string>) {
    const res = await fetch(`${world.server.url}/signin`, { headers });
    expect(res.status).toBe(200);
    const html = await res.text();
    return { lang: /<html lang="([^"]+)"/.exec(html)?.[1], ja: html.includes("Hibiki にログイン"), en: html.includes("Sign in to Hibiki") };
  }

  it.each([
    ["a Japanese browser", { "accept-language": "ja-JP,ja;q=0.9" }, "ja"],
    ["Japanese preferred over English", { "accept-language": "ja,en-US;q=0.8,en;q=0.6" }, "ja"],
    ["Japanese second to a language Hibiki does not speak", { "accept-language": "fr-FR,fr;q=0.9,ja;q=0.5" }, "ja"],
    ["English preferred over Japanese", { "accept-language": "en-US,en;q=0.9,ja;q=0.8" }, "en"],
    ["Japanese weighted below English though listed first", { "accept-language": "ja;q=0.3,en;q=0.7" }, "en"],
    ["only languages Hibiki does not speak", { "accept-language": "de-DE,fr;q=0.5" }, "en"],
    ["no Accept-Language", {}, "en"],
    ["English chosen in a Japanese browser", { "accept-language": "ja-JP", cookie: "hibiki_lang=en" }, "en"],
    ["Japanese chosen in an English browser", { "accept-language": "en-US", cookie: "hibiki_lang=ja" }, "ja"],
    ["a language cookie Hibiki does not know, in a Japanese browser", { "accept-language": "ja", cookie: "hibiki_lang=xx" }, "ja"],
  ])("renders the sign-in page for %s in the right language", async (_label, headers, lang) => {
    const page = await served(headers);
    expect(page).toEqual({ lang, ja: lang === "ja", en: lang === "en" });
  });

  it.each([
    ["/signin", "ログイン", "Sign in"],
    ["/settings", "設定", "Settings"],
    ["/admin", "管理", "Administration"],
    ["/admin/logs", "ライブログ", "Live logs"],
    ["/join/not-a-code", "参加", "Join"],
  ])("titles %s in the page's language", async (path, ja, en) => {
    const title = async (headers: Record<string, string>) => {
      const res = await fetch(`${world.server.url}${path}`, { headers: { cookie: session, ...headers }, redirect: "manual" });
      expect(res.status).toBe(200);
      return /<title>([^<]*)<\/title>/.exec(await res.text())?.[1];
    };
    expect(await title({ "accept-language": "ja-JP" })).toBe(`${ja} · Hibiki`);
    expect(await title({ "accept-language": "en-US" })).toBe(`${en} · Hibiki`);
    expect(await title({ "accept-language": "ja-JP", cookie: `${session}; hibiki_lang=en` })).toBe(`${en} · Hibiki`);
  });

  it.each(["ja-JP-mac,ja", "en-GB-oed,en", "i-klingon", "en-x,ja;q=0.5", "en-US-x-", "en-aaaaaaaaaaaa"])(
    "renders a room's page, times and all, for Accept-Language %j, whose tags Intl may refuse",
    async (acceptLanguage) => {
      expect((await fetch(`${world.server.url}/api/rooms/general/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: world.server.url, cookie: session },
        body: JSON.stringify({ text: `timed for ${acceptLanguage}` }),
      })).status).toBe(201);
      const res = await fetch(`${world.server.url}/rooms/general`, { headers: { cookie: session, "accept-language": acceptLanguage } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(`timed for ${acceptLanguage}`);
      expect(html).toMatch(/<time [^>]*>[^<]+<\/time>/);
    },
  );

  describe("in Chromium", () => {
    let context: BrowserContext;
    afterEach(async () => context?.close());

    /** A browser context signed in as alice (also `context`, closed after the test), with these options and cookies. */
    async function signedIn(options: { locale: string; timezoneId?: string }, cookies: Record<string, string> = {}) {
      context = await world.newContext({ viewport: DESKTOP, ...options });
      const all = { hibiki_session: session.split("=")[1], ...cookies };
      await context.addCookies(Object.entries(all).map(([name, value]) => ({ name, value, url: world.server.url })));
      return context;
    }

    it("shows a Japanese browser the room in Japanese before any of the app's JavaScript has run", async () => {
      await signedIn({ locale: "ja-JP" });
      const tab = await context.newPage();
      await tab.route("**/_next/static/**/*.js", (route) => route.abort());
      await tab.goto("/rooms/general");
      expect(await tab.evaluate(() => document.documentElement.lang)).toBe("ja");
      await eventually(async () => expect(await tab.getByRole("button", { name: "新しいルーム" }).count()).toBe(1), 20_000);
      expect(await tab.getByRole("button", { name: "New room" }).count()).toBe(0);
      expect(await tab.getByText("サーバーに接続しています…").count()).toBe(1);
    }, 60_000);

    it("never shows a Japanese reader the room in English, and hydrates without an error", async () => {
      await signedIn({ locale: "ja-JP" });
      const tab = await context.newPage();
      const problems: string[] = [];
      tab.on("pageerror", (err) => problems.push(err.message));
      tab.on("console", (msg) => msg.type() === "error" && problems.push(msg.text()));
      // Every change of the page and every frame from its start: was the room's first line ever English?
      await tab.addInitScript(() => {
        const w = window as unknown as { englishSeen: string[] };
        w.englishSeen = [];
        const look = () => {
          const text = document.body?.innerText ?? "";
          for (const english of ["This is the very beginning of the room.", "New room", "Connecting…", "Loading messages…"]) {
            if (text.includes(english) && !w.englishSeen.includes(english)) w.englishSeen.push(english);
          }
        };
        new MutationObserver(look).observe(document, { childList: true, subtree: true, characterData: true });
        const frame = () => {
          look();
          if (performance.now() < 15_000) requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
      await tab.goto("/rooms/general");
      const composer = tab.getByRole("textbox", { name: "#generalへのメッセージ" });
      await eventually(async () => expect(await composer.isEditable()).toBe(true), 20_000);
      await composer.fill("こんにちは");
      await composer.press("Enter");
      await eventually(async () => expect(await tab.locator("li.message", { hasText: "こんにちは" }).count()).toBe(1), 20_000);
      expect(await tab.evaluate(() => (window as unknown as { englishSeen: string[] }).englishSeen)).toEqual([]);
      expect(problems).toEqual([]);
    }, 60_000);

    it.each([
      ["ja-JP", "Asia/Tokyo"],
      ["en-US", "America/New_York"],
      ["en-GB", "Pacific/Chatham"],
    ])("writes times in the reader's language (%s) and time zone (%s) from the first paint, once the browser has told its zone", async (locale, timezoneId) => {
      await signedIn({ locale, timezoneId });
      const posted = await context.request.post("/api/rooms/general/messages", { data: { text: `the time in ${timezoneId}` } });
      expect(posted.status()).toBe(201);
      const tab = await context.newPage();
      const timeOf = async (page: typeof tab) => {
        const time = page.locator("li.message", { hasText: `the time in ${timezoneId}` }).locator("time");
        await eventually(async () => expect(await time.count()).toBe(1), 20_000);
        return (await time.textContent()) ?? "";
      };
      // The first visit: the browser's own clock after hydration; it tells the server its zone (a cookie).
      await tab.goto("/rooms/general");
      await eventually(async () => expect(await tab.getByRole("textbox").last().isEditable()).toBe(true), 20_000);
      const own = await timeOf(tab);
      expect((await context.cookies()).find((c) => c.name === "hibiki_tz")?.value).toBe(encodeURIComponent(timezoneId));
      // The next page load without any of the app's JavaScript: the server wrote the very same time.
      const bare = await context.newPage();
      await bare.route("**/_next/static/**/*.js", (route) => route.abort());
      await bare.goto("/rooms/general");
      expect(await timeOf(bare)).toBe(own);
      await bare.close();
      // And with it: the time never changes while the page hydrates (no hydration error either).
      const problems: string[] = [];
      const again = await context.newPage();
      again.on("pageerror", (err) => problems.push(err.message));
      again.on("console", (msg) => msg.type() === "error" && problems.push(msg.text()));
      await again.addInitScript((wanted) => {
        const w = window as unknown as { timesSeen: string[] };
        w.timesSeen = [];
        const look = () => {
          const li = [...document.querySelectorAll("li.message")].find((el) => el.textContent?.includes(wanted));
          const text = li?.querySelector("time")?.textContent;
          if (text && !w.timesSeen.includes(text)) w.timesSeen.push(text);
        };
        new MutationObserver(look).observe(document, { childList: true, subtree: true, characterData: true });
      }, `the time in ${timezoneId}`);
      await again.goto("/rooms/general");
      await eventually(async () => expect(await again.getByRole("textbox").last().isEditable()).toBe(true), 20_000);
      expect(await timeOf(again)).toBe(own);
      expect(await again.evaluate(() => (window as unknown as { timesSeen: string[] }).timesSeen)).toEqual([own]);
      expect(problems).toEqual([]);
    }, 90_000);

    it("keeps English for a reader who chose it in a Japanese browser, from the first paint on", async () => {
      await signedIn({ locale: "ja-JP" }, { hibiki_lang: "en" });
      await context.addInitScript(() => window.localStorage.setItem("hibiki.lang", "en"));
      const tab = await context.newPage();
      const problems: string[] = [];
      tab.on("pageerror", (err) => problems.push(err.message));
      await tab.goto("/rooms/general");
      expect(await tab.evaluate(() => document.documentElement.lang)).toBe("en");
      const composer = tab.getByRole("textbox", { name: "Message #general" });
      await eventually(async () => expect(await composer.isEditable()).toBe(true), 20_000);
      expect(await tab.getByText("ここがこのルームの始まりです。").count()).toBe(0);
      expect(problems).toEqual([]);
    }, 60_000);
  });
});
