/**
 * Two people on their first day, in a real browser. A private room seen from outside: someone who is not
 * a member and tries its name ("New room", or a link to it) is told that only its members can open it
 * and what to do about it, in English and Japanese, rather than a bare "not allowed". `@` in the
 * composer offers people, from the keyboard, and `:` emoji, and Ctrl+Z undoes a pick or a `:tada:` → 🎉; the tab's title carries no invisible marks; a direct
 * message has a readable address; what is pasted right after `/` reaches the search even while its
 * panel is still loading.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describeE2E, eventually, useBrowserWorld } from "./harness";

const DESKTOP = { width: 1280, height: 800 };
const ADMIN = { name: "kei", password: "kei-password-123" };
const OTHER = { name: "mio", password: "mio-password-123" };
const ROOM = "ops";

describeE2E("a first day for two: a private room from outside, @ in the composer, a DM's address, / then paste", () => {
  const world = useBrowserWorld();
  /** mio's browser (not in the private room), from the first test on. */
  let mio: BrowserContext;

  async function openGeneral(page: Page, composer = "Message #general") {
    await page.goto("/rooms/general");
    await eventually(async () => expect(await page.getByRole("textbox", { name: composer }).isEnabled()).toBe(true), 20_000);
  }

  it(
    "says that mio cannot open it and to ask one of its members, when its name is tried from New room, and joins nothing",
    async () => {
      const admin = await world.newContext({ viewport: DESKTOP });
      expect((await admin.request.post("/api/setup", { data: ADMIN })).status()).toBe(201);
      const { code } = await (await admin.request.get("/api/admin/join-code")).json();
      const adminPage = await admin.newPage();
      await openGeneral(adminPage);
      await adminPage.getByRole("button", { name: "New room" }).click();
      await adminPage.getByRole("textbox", { name: "Room name" }).fill(ROOM);
      await adminPage.getByRole("checkbox", { name: /^Private/ }).check();
      await adminPage.getByRole("button", { name: "Create or join" }).click();
      await adminPage.waitForURL(`**/rooms/${ROOM}`);

      const other = (mio = await world.newContext({ viewport: DESKTOP }));
      expect((await other.request.post(`/api/join/${code}`, { data: OTHER })).status()).toBe(201);
      const page = await other.newPage();
      await openGeneral(page);
      await page.getByRole("button", { name: "New room" }).click();
      await page.getByRole("textbox", { name: "Room name" }).fill(ROOM);
      await page.getByRole("button", { name: "Create or join" }).click();
      await page.waitForURL(`**/rooms/${ROOM}`);
      await page.getByRole("heading", { name: `You can't open “\u2068${ROOM}\u2069”` }).waitFor({ timeout: 15_000 });
      const said = await page.getByRole("main").getByRole("alert").textContent();
      expect(said).toContain("you are not one of its members. If it is private, ask one of its members to add you.");
      expect(said).not.toContain("You are not allowed to do this.");
      // No Create to try again, no message box or Retry of a join that would only be refused.
      expect(await page.getByRole("main").getByRole("button", { name: /^Create room|^Retry/ }).count()).toBe(0);
      expect(await page.getByRole("textbox", { name: /^Message/ }).count()).toBe(0);
      // The sidebar does not list it among mio's rooms (as a public room with nobody in it).
      const rooms = page.getByRole("navigation", { name: "Rooms" });
      await rooms.getByRole("link", { name: /^general/ }).waitFor();
      expect(await rooms.getByRole("link", { name: new RegExp(`^${ROOM}`) }).count()).toBe(0);

      // The same in Japanese, from a link to the room: the server, rendering the page, finds the name held
      // by a room that is not hers, so the page says so at once, with no Create that could only be
      // refused, and joins nothing.
      const ja = await world.newContext({ viewport: DESKTOP, locale: "ja-JP", storageState: await other.storageState() });
      const jaPage = await ja.newPage();
      await jaPage.goto(`/rooms/${ROOM}`);
      await jaPage.getByRole("heading", { name: `「\u2068${ROOM}\u2069」は開けません` }).waitFor({ timeout: 20_000 });
      expect(await jaPage.getByRole("main").getByRole("alert").textContent()).toContain("非公開のルームなら、メンバーに追加してもらってください。");
      expect(await jaPage.getByRole("main").getByRole("button", { name: /を作成$/ }).count()).toBe(0);
    },
    60_000,
  );

  it(
    "opens the room meant by its name in another case or width, or with a # before it, from New room and from a link, and no other",
    async () => {
      const page = await mio.newPage();
      await openGeneral(page);
      const rooms = page.getByRole("navigation", { name: "Rooms" });
      // Another room to start from, so that each answer of the form is a move to general.
      await page.getByRole("button", { name: "New room" }).click();
      await page.getByRole("textbox", { name: "Room name" }).fill("random");
      await page.getByRole("button", { name: "Create or join" }).click();
      await page.waitForURL("**/rooms/random");
      for (const typed of ["General", "ＧＥＮＥＲＡＬ", "#general", "＃ general"]) {
        await page.goto("/rooms/random");
        await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #random" }).isEnabled()).toBe(true), 20_000);
        await page.getByRole("button", { name: "New room" }).click();
        await page.getByRole("textbox", { name: "Room name" }).fill(typed);
        await page.getByRole("button", { name: "Create or join" }).click();
        await page.waitForURL("**/rooms/general");
        await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
      }
      // No room "#general" or "General" was made beside general.
      await eventually(async () => expect(await rooms.getByRole("link", { name: /^#?general/i }).count()).toBe(1));

      // A link in another case, or with `#`, lands on the room's own address.
      // So does one with a space or a line break after the name (an outside trial: the tab hung there,
      // fighting the browser over the title it read back collapsed).
      for (const path of ["/rooms/GENERAL", "/rooms/%EF%BC%A7eneral", "/rooms/%23general", "/rooms/general%20", "/rooms/general%0A", "/rooms/%20general%09"]) {
        await page.goto(path);
        await page.waitForURL("**/rooms/general");
        await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #general" }).isEnabled()).toBe(true), 20_000);
      }
      // A `#` before a name no room has is not part of the name either: the page offers "brandnew", and
      // makes it only when asked to.
      // A name no room has, with a space after it: the page answers (it hung), at the name's own
      // address (the space is no part of a room's name), and says so.
      await page.goto("/rooms/nosuchroom%20");
      await page.waitForURL("**/rooms/nosuchroom");
      await page.getByRole("heading", { name: "No room named “\u2068nosuchroom\u2069”" }).waitFor({ timeout: 20_000 });
      // The tab names no room that is not there (as the page's header does not).
      expect(await page.evaluate(() => document.title)).toBe("Room not found · Hibiki");
      await page.goto("/rooms/%23brandnew");
      await page.waitForURL("**/rooms/brandnew");
      await page.getByRole("heading", { name: "No room named “\u2068brandnew\u2069”" }).waitFor({ timeout: 20_000 });
      expect(await rooms.getByRole("link", { name: /brandnew/ }).count()).toBe(0);
      await page.getByRole("button", { name: "Create room “\u2068brandnew\u2069”" }).click();
      await eventually(async () => expect(await page.getByRole("textbox", { name: "Message #brandnew" }).isEnabled()).toBe(true), 20_000);
      expect(new URL(page.url()).pathname).toBe("/rooms/brandnew");
      await eventually(async () => expect(await rooms.getByRole("link", { name: /^brandnew/ }).count()).toBe(1));
      expect(await rooms.getByRole("link", { name: /^#brandnew/ }).count()).toBe(0);
      // Nor does `#` before a private room's name mio is not in make a public room beside it.
      const cannotOpen = page.getByRole("heading", { name: `You can't open “\u2068${ROOM.toUpperCase()}\u2069”` });
      await page.goto(`/rooms/%23${ROOM.toUpperCase()}`);
      await page.waitForURL(`**/rooms/${ROOM.toUpperCase()}`);
      await cannotOpen.waitFor({ timeout: 20_000 });
      // A private room mio is not in is not opened by its name in capitals (the page does not go to its
      // address); the name is held (a look-alike of ops), as Create would find it: the page says mio
      // cannot open it and who can let her in, with no Create that could only fail, and joins nothing (no
      // message box, no Retry of a join that would only be refused).
      await page.goto(`/rooms/${ROOM.toUpperCase()}`);
      await cannotOpen.waitFor({ timeout: 20_000 });
      expect(new URL(page.url()).pathname).toBe(`/rooms/${ROOM.toUpperCase()}`);
      expect(await page.getByRole("main").getByRole("alert").textContent()).toContain("ask one of its members to add you.");
      expect(await page.getByRole("main").getByRole("button", { name: /^Create room|^Retry/ }).count()).toBe(0);
      expect(await page.getByRole("textbox", { name: /^Message/ }).count()).toBe(0);
      await page.close();
    },
    90_000,
  );

  it(
    "offers people after @ in the composer and a thread's reply box (in a public room, also who is not in it now): Enter, Tab or a click puts the name in, Esc closes the list and keeps the text",
    async () => {
      const page = await mio.newPage();
      await openGeneral(page);
      // The tab says the room's name with no invisible direction marks around it (an unread count may lead).
      await eventually(async () => expect(await page.title()).toMatch(/^(\(\d+\) )?#general · Hibiki$/));
      const box = page.getByRole("textbox", { name: "Message #general" });
      const list = page.getByRole("listbox", { name: "Mention suggestions" });
      await box.click();
      await page.keyboard.type("thanks @K");
      await list.waitFor();
      expect(await list.getByRole("option").allTextContents()).toEqual(["@kei"]);
      // The text field keeps the focus; the chosen name is its active descendant.
      const selected = list.getByRole("option", { selected: true });
      expect(await box.getAttribute("aria-activedescendant")).toBe(await selected.getAttribute("id"));
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
      // The chat's polite announcer says how many suggestions there are.
      await eventually(async () => expect(await page.locator(".chat-announcer").textContent()).toContain("1 mention suggestion"));
      await page.keyboard.press("Enter");
      await eventually(async () => expect(await box.inputValue()).toBe("thanks @kei "));
      expect(await list.count()).toBe(0);
      await page.keyboard.type("for the room");
      expect(await box.inputValue()).toBe("thanks @kei for the room");

      // Esc closes the list, and the text stays as typed; Enter then sends it.
      await page.keyboard.type(" @k");
      await list.waitFor();
      await page.keyboard.press("Escape");
      await eventually(async () => expect(await list.count()).toBe(0));
      expect(await box.inputValue()).toBe("thanks @kei for the room @k");
      await page.keyboard.press("Backspace");
      await page.keyboard.press("Backspace");
      expect(await list.count()).toBe(0);
      await page.keyboard.press("Enter");
      const log = page.getByRole("log", { name: "Messages in general" });
      await eventually(async () => expect((await log.locator(".message-text").allTextContents()).at(-1)).toBe("thanks @kei for the room"));
      expect(await box.inputValue()).toBe("");
      expect(await list.count()).toBe(0);

      // A click picks too, and nobody who is not in the room (or the writer) is offered; the words that
      // call the room come after the people, each saying whom it calls.
      await page.keyboard.type("@");
      await list.waitFor();
      expect(await list.getByRole("option").allTextContents()).toEqual(["@kei", "@here everyone in the room now", "@room every member of the room"]);
      await list.getByRole("option", { name: "@kei" }).click();
      await eventually(async () => expect(await box.inputValue()).toBe("@kei "));
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.type("x@k");
      expect(await list.count()).toBe(0); // an e-mail address is not a mention

      // The same in a thread's reply box.
      const sent = log.locator("li.message").filter({ hasText: "thanks @kei for the room" });
      await sent.hover();
      await sent.getByRole("button", { name: "Reply" }).click();
      const thread = page.getByRole("complementary", { name: "Thread" });
      const reply = thread.getByRole("textbox", { name: "Reply in thread" });
      await eventually(async () => expect(await reply.evaluate((el) => el === document.activeElement)).toBe(true));
      await page.keyboard.type("ok @k");
      const threadList = thread.getByRole("listbox", { name: "Mention suggestions" });
      await threadList.waitFor();
      expect(await threadList.getByRole("option").allTextContents()).toEqual(["@kei"]);
      await page.keyboard.press("Tab");
      await eventually(async () => expect(await reply.inputValue()).toBe("ok @kei "));
      expect(await threadList.count()).toBe(0);
    },
    60_000,
  );

  it(
    "offers emoji after : in the composer from this server's data (Enter puts one in), and turns a whole :rocket: into 🚀 as it is typed",
    async () => {
      const page = await mio.newPage();
      const asked: string[] = [];
      page.on("request", (r) => asked.push(r.url()));
      await openGeneral(page);
      const box = page.getByRole("textbox", { name: "Message #general" });
      const list = page.getByRole("listbox", { name: "Emoji" });
      await box.click();
      await page.keyboard.type("shipped :tad");
      await list.waitFor({ timeout: 20_000 });
      expect((await list.getByRole("option").allTextContents())[0]).toBe("🎉 :tada:");
      expect(await box.getAttribute("aria-activedescendant")).toBe(await list.getByRole("option", { selected: true }).getAttribute("id"));
      await eventually(async () => expect(await page.locator(".chat-announcer").textContent()).toMatch(/emoji: ↑ ↓ to choose/));
      await page.keyboard.press("Enter");
      await eventually(async () => expect(await box.inputValue()).toBe("shipped 🎉 "));
      expect(await list.count()).toBe(0);
      await page.keyboard.type("now :rocket: `:tada:`");
      expect(await box.inputValue()).toBe("shipped 🎉 now 🚀 `:tada:`");
      await page.keyboard.press("Enter");
      const log = page.getByRole("log", { name: "Messages in general" });
      await eventually(async () => expect((await log.locator(".message-text").allTextContents()).at(-1)).toBe("shipped 🎉 now 🚀 :tada:"));
      // The data came from this server, never from the internet.
      const origin = new URL(page.url()).origin;
      expect(asked.filter((u) => u.includes("/emoji-data/")).every((u) => u.startsWith(`${origin}/emoji-data/`))).toBe(true);
      expect(asked.some((u) => u.includes("/emoji-data/"))).toBe(true);
      await page.close();
    },
    60_000,
  );

  it(
    "undoes with Ctrl+Z a :tada: turned into 🎉 (which then stays :tada:) and a picked emoji or name, and leaves Japanese prose and URLs as typed",
    async () => {
      const page = await mio.newPage();
      await openGeneral(page);
      const box = page.getByRole("textbox", { name: "Message #general" });
      const emoji = page.getByRole("listbox", { name: "Emoji" });
      await box.click();
      // The data is fetched when a shortcode is first typed: the list opening says it is here.
      await page.keyboard.type(":ta");
      await emoji.waitFor({ timeout: 20_000 });
      await box.fill("");

      await page.keyboard.type("ok :tada:");
      await eventually(async () => expect(await box.inputValue()).toBe("ok 🎉"));
      await page.keyboard.press("Control+z");
      await eventually(async () => expect(await box.inputValue()).toBe("ok :tada:"));
      // It stays as typed: the undo is no colon typed.
      await page.keyboard.press("End");
      await page.keyboard.type(" then");
      expect(await box.inputValue()).toBe("ok :tada: then");
      // And what was typed before it can be undone too (a key at a time, here).
      for (let i = 0; i < 20 && (await box.inputValue()) !== "ok "; i++) await page.keyboard.press("Control+z");
      expect(await box.inputValue()).toBe("ok ");

      // A picked emoji, and a picked name, give back what was typed.
      await box.fill("");
      await page.keyboard.type("yes :tad");
      await emoji.getByRole("option", { name: "🎉 :tada:" }).waitFor();
      await page.keyboard.press("Enter");
      await eventually(async () => expect(await box.inputValue()).toBe("yes 🎉 "));
      await page.keyboard.press("Control+z");
      await eventually(async () => expect(await box.inputValue()).toBe("yes :tad"));
      await box.fill("");
      const people = page.getByRole("listbox", { name: "Mention suggestions" });
      await page.keyboard.type("hi @k");
      await people.waitFor();
      await page.keyboard.press("Tab");
      await eventually(async () => expect(await box.inputValue()).toBe("hi @kei "));
      await page.keyboard.press("Control+z");
      await eventually(async () => expect(await box.inputValue()).toBe("hi @k"));

      // Japanese prose, a URL and a path are no shortcodes: Enter sends them as typed.
      await box.fill("");
      await page.keyboard.type("返事：ありがとう メモ:了解 https://example.com/:tada: /api/:room");
      expect(await emoji.count()).toBe(0);
      await page.keyboard.press("Enter");
      const log = page.getByRole("log", { name: "Messages in general" });
      await eventually(async () =>
        expect((await log.locator(".message-text").allTextContents()).at(-1)).toBe("返事：ありがとう メモ:了解 https://example.com/:tada: /api/:room"),
      );
      await page.close();
    },
    60_000,
  );

  it(
    "gives a direct message a readable address, /rooms/dm:<id>:<id>, that a reload opens again",
    async () => {
      const page = await mio.newPage();
      await openGeneral(page);
      await page.getByRole("button", { name: "New message" }).click();
      await page.getByRole("combobox", { name: "Their name" }).fill(ADMIN.name);
      await page.getByRole("button", { name: "Open conversation" }).click();
      await page.waitForURL(/\/rooms\/dm:\d+:\d+$/);
      const box = page.getByRole("textbox", { name: `Message ${ADMIN.name}` });
      await eventually(async () => expect(await box.isEnabled()).toBe(true), 20_000);
      // `@` offers the other person, never the words that call a room (nobody else is in a DM).
      await box.click();
      await page.keyboard.type("@");
      const suggested = page.getByRole("listbox", { name: "Mention suggestions" });
      await suggested.waitFor();
      const offered = await suggested.getByRole("option").allTextContents();
      expect(offered).toContain(`@${ADMIN.name}`);
      expect(offered.filter((o) => /^@(here|room)\b/.test(o))).toEqual([]);
      await box.fill("");
      const address = page.url();
      await page.reload();
      await eventually(async () => expect(await box.isEnabled()).toBe(true), 20_000);
      expect(page.url()).toBe(address);
      // The sidebar links to it by the same address.
      const link = page.getByRole("navigation", { name: "Rooms" }).getByRole("link", { name: new RegExp(`^${ADMIN.name}`) });
      expect(new URL((await link.getAttribute("href"))!, address).href).toBe(address);
    },
    60_000,
  );

  it(
    "keeps what is pasted right after / while the search panel is still loading, searches for it, and gives the focus back on closing",
    async () => {
      // The search panel's chunk (the one with its chip buttons) is held back until released: the
      // panel is still on its way when / is pressed, as on a slow connection.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let held = false;
      const page = await mio.newPage();
      await page.route("**/_next/static/chunks/**/*.js", async (route) => {
        const response = await route.fetch();
        const body = await response.text();
        if (body.includes("search-chip-remove")) {
          held = true;
          await released;
        }
        await route.fulfill({ response, body });
      });
      await openGeneral(page);
      const box = page.getByRole("textbox", { name: "Message #general" });
      await box.fill("明日の打ち合わせは十時から");
      await box.press("Enter");
      await eventually(async () => expect(await box.inputValue()).toBe(""));
      // `/` from the search button: where the focus goes back when search closes.
      const opener = page.getByRole("button", { name: "Search messages (/)" });
      await opener.focus();
      await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
      await page.evaluate(() => navigator.clipboard.writeText("打ち合わせ"));

      await page.keyboard.press("/");
      await page.keyboard.press("Control+V");
      await page.keyboard.type(" 十時");
      const standIn = page.getByRole("searchbox", { name: "Search messages" });
      await eventually(async () => expect(await standIn.inputValue()).toBe("打ち合わせ 十時"));
      expect(held).toBe(true); // the control: the panel really was still loading
      expect(await standIn.evaluate((el) => el === document.activeElement)).toBe(true);

      release();
      const dialog = page.getByRole("dialog", { name: "Search" });
      await dialog.waitFor();
      const searchBox = dialog.getByRole("searchbox", { name: "Search messages" });
      await eventually(async () => expect(await searchBox.inputValue()).toBe("打ち合わせ 十時"));
      expect(await searchBox.evaluate((el: HTMLInputElement) => el === document.activeElement && el.selectionStart === el.value.length && el.selectionEnd === el.value.length)).toBe(true);
      // Typing goes on at the end, and what was typed was searched for.
      await page.keyboard.type("から");
      expect(await searchBox.inputValue()).toBe("打ち合わせ 十時から");
      await eventually(async () => expect(await dialog.locator(".search-snippet").first().textContent()).toContain("十時から"), 15_000);
      await page.keyboard.press("Escape");
      await eventually(async () => expect(await dialog.count()).toBe(0));
      // The stand-in had the focus when the panel came; closing gives it back to the opener, not the page.
      await eventually(async () => expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true));
    },
    60_000,
  );
});
