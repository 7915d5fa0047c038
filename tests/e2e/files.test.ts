/**
 * Files in a real browser: two people in a private room. One attaches a phone photo (JPEG with EXIF
 * GPS, made by sharp), a PDF and a short WebM video (recorded by Chromium's MediaRecorder from a
 * canvas) through the attach button; the other sees the thumbnail, opens and closes the lightbox (a modal
 * dialog: from the keyboard, the room behind and its shortcuts are out of reach while it is open), sees
 * the PDF as a file card that downloads, and a video player that loads. The served photo carries no
 * location; someone outside the room, and a signed-out browser, get 404 for every file URL.
 * A long-named file's card (its name cut in the middle) keeps the attachment after it close by.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { parse as parseDisposition } from "content-disposition";
import { io, type Socket } from "socket.io-client";
import type { BrowserContext, Page } from "playwright-core";
import { formatSize } from "../../components/chat/format-size";
import { ARTIFACTS, describeE2E, eventually, useBrowserWorld } from "./harness";

const TEST_TIMEOUT = 90_000;
const DESKTOP = { width: 1280, height: 800 };
const ROOM = "studio";
const AIKO = { name: "aiko", password: "aiko-password-1" };
const BEN = { name: "ben", password: "ben-password-1" };
const CARL = { name: "carl", password: "carl-password-1" };

/** A photo as a phone takes it: JPEG with a camera make and GPS coordinates in its EXIF. */
const phonePhoto = () =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 30, g: 140, b: 90 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: "PhoneCo", Model: "Pocket 12" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "35/1 39/1 2910/100", GPSLongitudeRef: "E", GPSLongitude: "139/1 44/1 2880/100" },
    })
    .toBuffer();

/** The smallest well-formed one-page PDF. */
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n" +
    "3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n",
);

/** A GPS IFD in EXIF: tag 0x8825 (GPSInfo), in either byte order. */
const hasGps = (exif: Buffer | undefined) => !!exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));

describeE2E("files in a real browser", () => {
  const sockets: Socket[] = [];
  // Declared before the world's hooks, so it runs before the server stops.
  afterAll(() => sockets.forEach((s) => s.disconnect()));
  // A small UPLOAD_MAX_BYTES, for a file over it; every other file here is far smaller.
  const UPLOAD_MAX_BYTES = 1_000_000;
  const world = useBrowserWorld({ UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) });

  const newContext = () => world.newContext({ viewport: DESKTOP });

  /** A Socket.IO client with a context's session cookie (and the Origin a browser sends with it). */
  async function socketOf(ctx: BrowserContext): Promise<Socket> {
    const cookie = (await ctx.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const { url } = world.server;
    const socket = io(url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: url } });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return socket;
  }
  async function call(socket: Socket, event: string, payload: unknown) {
    const res = await socket.timeout(10_000).emitWithAck(event, payload);
    if (!res.ok) throw new Error(`${event}: ${res.error.code} ${res.error.message}`);
    return res.data;
  }

  const messageLog = (page: Page) => page.getByRole("log", { name: `Messages in ${ROOM}` });
  /** aiko's page in ROOM, from the first test on. */
  let aikoPage: Page;

  it(
    "sends a photo, a PDF and a video through the attach button; the other member sees and opens them, outsiders get 404",
    async () => {
      // Three people: aiko (admin) and ben share a private room; carl has an account but is not in it.
      const a = await newContext();
      expect((await a.request.post("/api/setup", { data: AIKO })).status()).toBe(201);
      const { code } = await (await a.request.get("/api/admin/join-code")).json();
      const b = await newContext();
      expect((await b.request.post(`/api/join/${code}`, { data: BEN })).status()).toBe(201);
      const c = await newContext();
      expect((await c.request.post(`/api/join/${code}`, { data: CARL })).status()).toBe(201);
      const aikoSocket = await socketOf(a);
      await call(aikoSocket, "create-room", { name: ROOM, private: true });
      await call(aikoSocket, "add-member", { room: ROOM, name: BEN.name });

      const pageA = (aikoPage = await a.newPage());
      const pageB = await b.newPage();
      await Promise.all([pageA.goto(`/rooms/${ROOM}`), pageB.goto(`/rooms/${ROOM}`)]);
      const boxA = pageA.getByRole("textbox", { name: `Message #${ROOM}` });
      await eventually(async () => expect(await boxA.isEnabled()).toBe(true), 20_000);
      await eventually(async () => expect(await pageB.getByRole("textbox", { name: `Message #${ROOM}` }).isEnabled()).toBe(true), 20_000);

      // A few frames of a canvas, recorded as WebM by the browser itself (no video tools needed).
      const webm = Buffer.from(
        await pageA.evaluate(async () => {
          const canvas = document.createElement("canvas");
          canvas.width = 64;
          canvas.height = 48;
          const g = canvas.getContext("2d")!;
          const recorder = new MediaRecorder(canvas.captureStream(15), { mimeType: "video/webm;codecs=vp8" });
          const chunks: Blob[] = [];
          recorder.ondataavailable = (e) => chunks.push(e.data);
          const stopped = new Promise((r) => (recorder.onstop = r));
          recorder.start();
          for (let i = 0; i < 12; i++) {
            g.fillStyle = `hsl(${i * 30}, 80%, 50%)`;
            g.fillRect(0, 0, 64, 48);
            await new Promise((r) => requestAnimationFrame(r));
          }
          recorder.stop();
          await stopped;
          return [...new Uint8Array(await new Blob(chunks).arrayBuffer())];
        }),
      );
      expect(webm.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))).toBe(true); // EBML
      expect(webm.length).toBeLessThan(50_000);
      const photo = await phonePhoto();
      expect(hasGps((await sharp(photo).metadata()).exif)).toBe(true); // the control: the original has a location

      // aiko attaches the three files as a person does: the attach button opens the file chooser.
      const [chooser] = await Promise.all([pageA.waitForEvent("filechooser"), pageA.getByRole("button", { name: "Attach files" }).click()]);
      await chooser.setFiles([
        { name: "beach.jpg", mimeType: "image/jpeg", buffer: photo },
        { name: "plan.pdf", mimeType: "application/pdf", buffer: PDF },
        { name: "wave.webm", mimeType: "video/webm", buffer: webm },
      ]);
      const tray = pageA.getByRole("list", { name: "Files to send" });
      await eventually(async () => expect(await tray.getByRole("listitem").count()).toBe(3));
      const sendButton = pageA.getByRole("button", { name: "Send message" });
      await eventually(async () => expect(await sendButton.isEnabled()).toBe(true), 20_000); // every upload is done
      await boxA.fill("from the trip");
      await boxA.press("Enter");
      await eventually(async () => expect(await tray.count()).toBe(0));

      // ben sees the message with its three files.
      const item = messageLog(pageB).getByRole("listitem").filter({ hasText: "from the trip" });
      await item.waitFor({ timeout: 15_000 });
      const thumbButton = item.getByRole("button", { name: "View beach.jpg" });
      await thumbButton.waitFor();
      const thumb = thumbButton.locator("img");
      const thumbSrc = (await thumb.getAttribute("src"))!;
      expect(thumbSrc).toMatch(/^\/api\/files\/[A-Za-z0-9_-]{22}\/thumb$/);
      await thumb.scrollIntoViewIfNeeded();
      await eventually(async () => expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true), 15_000);

      // The lightbox opens with the full picture and closes with Escape, giving focus back.
      await thumbButton.click();
      const dialog = pageB.getByRole("dialog", { name: "beach.jpg" });
      await dialog.waitFor();
      const full = dialog.locator("img");
      const photoUrl = (await full.getAttribute("src"))!;
      expect(photoUrl).toMatch(/^\/api\/files\/[A-Za-z0-9_-]{22}\/beach\.jpg$/);
      await eventually(async () => expect(await full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(640));
      mkdirSync(ARTIFACTS, { recursive: true });
      await pageB.screenshot({ path: path.join(ARTIFACTS, "files-lightbox.png") });
      await pageB.keyboard.press("Escape");
      await eventually(async () => expect(await dialog.count()).toBe(0));
      expect(await thumbButton.evaluate((el) => el === document.activeElement)).toBe(true);

      // From the keyboard, on a phone with reduced motion: the lightbox is modal. The focus is in it and
      // Tab stays in it, the room behind is inert and its shortcuts do not act (Ctrl+K would open the
      // room switcher over it, Alt+↓ take ben to his next room); Esc gives the focus back to the thumbnail.
      await pageB.setViewportSize({ width: 375, height: 812 });
      await pageB.emulateMedia({ reducedMotion: "reduce" });
      const isFocused = (el: Element) => el === document.activeElement;
      await thumbButton.focus();
      await pageB.keyboard.press("Enter");
      await dialog.waitFor();
      const closeButton = dialog.getByRole("button", { name: "Close" });
      await eventually(async () => expect(await closeButton.evaluate(isFocused)).toBe(true));
      const box = (await dialog.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(375);
      const inDialog = () => pageB.evaluate(() => !!document.activeElement?.closest("dialog"));
      for (let i = 0; i < 4; i++) {
        await pageB.keyboard.press("Tab");
        // Past its last control the browser's own UI may take a turn (the document, nothing focused).
        expect([true, "document"]).toContainEqual(await pageB.evaluate(() => (document.activeElement === document.body ? "document" : !!document.activeElement?.closest("dialog"))));
      }
      await closeButton.focus();
      expect(await dialog.evaluate((el) => el.matches("dialog:modal"))).toBe(true);
      const roomUrl = pageB.url();
      await pageB.keyboard.press("Control+k");
      await pageB.keyboard.press("Alt+ArrowDown");
      // The control: Shift+Tab, a key the dialog does handle, has moved the focus by the time it is seen.
      await pageB.keyboard.press("Shift+Tab");
      await eventually(async () => expect(await dialog.getByRole("link", { name: "Download" }).evaluate(isFocused)).toBe(true));
      expect(await pageB.getByRole("dialog", { name: "Go to a room" }).count()).toBe(0);
      expect(pageB.url()).toBe(roomUrl);
      expect(await dialog.count()).toBe(1);
      expect(await inDialog()).toBe(true);
      await pageB.keyboard.press("Escape");
      await eventually(async () => expect(await dialog.count()).toBe(0));
      expect(await thumbButton.evaluate(isFocused)).toBe(true);
      // The shortcuts act again once it is closed.
      await pageB.keyboard.press("Control+k");
      const switcher = pageB.getByRole("dialog", { name: "Go to a room" });
      await switcher.waitFor();
      await pageB.keyboard.press("Escape");
      await eventually(async () => expect(await switcher.count()).toBe(0));
      expect(pageB.url()).toBe(roomUrl);
      await pageB.setViewportSize(DESKTOP);
      await pageB.emulateMedia({ reducedMotion: null });

      // The PDF is a card with its name, size and a download link that the server serves as a download.
      const card = item.locator(".file-card").filter({ hasText: "plan.pdf" });
      expect(await card.locator(".file-name").textContent()).toBe("plan.pdf");
      expect(await card.locator(".file-size").textContent()).toBe(formatSize(PDF.length, "en-US"));
      const download = card.getByRole("link", { name: "Download plan.pdf" });
      const pdfUrl = (await download.getAttribute("href"))!;
      expect(await download.getAttribute("download")).toBe("plan.pdf");
      const pdf = await b.request.get(pdfUrl);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()["content-type"]).toBe("application/pdf");
      expect(parseDisposition(pdf.headers()["content-disposition"])).toMatchObject({ type: "attachment", parameters: { filename: "plan.pdf" } });
      expect(Buffer.from(await pdf.body()).equals(PDF)).toBe(true);

      // The video is a player whose metadata loads from the server.
      const video = item.locator("video");
      expect(await video.getAttribute("aria-label")).toBe("wave.webm");
      const videoUrl = (await video.getAttribute("src"))!;
      await video.scrollIntoViewIfNeeded();
      await eventually(async () => expect(await video.evaluate((v: HTMLVideoElement) => v.readyState >= 1 && v.videoWidth)).toBe(64), 15_000);
      await pageB.screenshot({ path: path.join(ARTIFACTS, "files-message.png") });

      // The photo as served: the picture, without its location or any other metadata.
      const served = await b.request.get(photoUrl);
      expect(served.status()).toBe(200);
      const meta = await sharp(Buffer.from(await served.body())).metadata();
      expect(meta).toMatchObject({ format: "jpeg", width: 640, height: 480 });
      expect(hasGps(meta.exif)).toBe(false);
      expect(meta.exif).toBeUndefined();

      // carl (an account, not a member) and a signed-out browser get the same 404 for every file.
      const signedOut = await newContext();
      for (const url of [photoUrl, thumbSrc, pdfUrl, videoUrl]) {
        for (const [who, ctx] of [["carl", c], ["signed out", signedOut]] as const) {
          const res = await ctx.request.get(url);
          expect([who, url, res.status()]).toEqual([who, url, 404]);
          expect(await res.json()).toEqual({ error: { code: "not_found", message: "no such file" } });
        }
        expect([url, (await b.request.get(url)).status()]).toEqual([url, 200]); // the control: a member reads it
      }
    },
    TEST_TIMEOUT,
  );

  it(
    "takes a file dropped anywhere on the room (the conversation, the header), and never lets the browser leave Hibiki to open a dropped file",
    async () => {
      const page = aikoPage;
      const tray = page.getByRole("list", { name: "Files to send" });
      expect(await tray.count()).toBe(0);
      /**
       * Drags a file over the element `selector` and drops it there, as the browser dispatches it.
       * Whether the page took the drop: a `dragover` nobody cancels makes the browser open the file
       * itself (leaving Hibiki) and send no `drop` to the page at all.
       */
      const dropOn = (selector: string, name: string) =>
        page.evaluate(
          ({ selector, name }) => {
            const target = document.querySelector(selector)!;
            const data = new DataTransfer();
            data.items.add(new File([`dropped ${name}`], name, { type: "text/plain" }));
            const init = { bubbles: true, cancelable: true, composed: true, dataTransfer: data };
            target.dispatchEvent(new DragEvent("dragenter", init));
            const taken = !target.dispatchEvent(new DragEvent("dragover", init));
            if (taken) target.dispatchEvent(new DragEvent("drop", init));
            return taken;
          },
          { selector, name },
        );
      expect(await dropOn(`[role="log"]`, "notes.txt")).toBe(true);
      expect(await dropOn("main h1", "agenda.txt")).toBe(true);
      await eventually(async () => expect(await tray.getByRole("listitem").allTextContents()).toEqual([expect.stringContaining("notes.txt"), expect.stringContaining("agenda.txt")]));
      // Outside the room (the sidebar), a drop is refused rather than left to the browser: nothing is attached.
      expect(await dropOn("#chat-sidebar", "elsewhere.txt")).toBe(true);
      const sendButton = page.getByRole("button", { name: "Send message" });
      await eventually(async () => expect(await sendButton.isEnabled()).toBe(true), 20_000);
      expect(await tray.getByRole("listitem").count()).toBe(2);
      await sendButton.click();
      await eventually(async () => expect(await tray.count()).toBe(0));
      const item = messageLog(page).locator("li.message").filter({ has: page.getByRole("link", { name: "Download agenda.txt" }) });
      await item.waitFor({ timeout: 15_000 });
      expect(await item.getByRole("link", { name: "Download notes.txt" }).count()).toBe(1);
    },
    TEST_TIMEOUT,
  );

  it(
    "shows a long-named file's card with the photo sent with it right beside it, not pushed away by the uncut name's width",
    async () => {
      const page = aikoPage;
      const longName = "quarterly-financial-report-for-the-design-team-final-version-v2.xlsx";
      const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Attach files" }).click()]);
      await chooser.setFiles([
        { name: longName, mimeType: "application/octet-stream", buffer: Buffer.from("a,b\n1,2\n") },
        { name: "harbour.jpg", mimeType: "image/jpeg", buffer: await phonePhoto() },
      ]);
      const sendButton = page.getByRole("button", { name: "Send message" });
      await eventually(async () => expect(await page.getByRole("list", { name: "Files to send" }).getByRole("listitem").count()).toBe(2));
      await eventually(async () => expect(await sendButton.isEnabled()).toBe(true), 20_000);
      await page.getByRole("textbox", { name: `Message #${ROOM}` }).fill("numbers and the view");
      await sendButton.click();
      const item = messageLog(page).locator("li.message").filter({ hasText: "numbers and the view" });
      await item.waitFor({ timeout: 15_000 });
      const files = item.getByRole("list", { name: "2 attached files" });
      await files.getByRole("button", { name: "View harbour.jpg" }).waitFor();
      const layout = await files.evaluate((list) => {
        const [first, second] = [...list.children].map((li) => li.getBoundingClientRect());
        const card = list.querySelector(".file-card")!.getBoundingClientRect();
        const head = list.querySelector<HTMLElement>(".file-name-head")!;
        return { itemWidth: first.width, cardWidth: card.width, gapAfterCard: second.left - card.right, nameCut: head.scrollWidth > head.clientWidth };
      });
      expect(layout.nameCut).toBe(true); // the control: the name is long enough to be cut
      // The list item is as wide as the card it holds, and the photo follows at the list's gap (8 px).
      expect(Math.round(layout.itemWidth)).toBe(Math.round(layout.cardWidth));
      expect(layout.gapAfterCard).toBeLessThanOrEqual(16);
    },
    TEST_TIMEOUT,
  );

  it(
    "refuses a file over the server's UPLOAD_MAX_BYTES at once, without sending it, and uploads the others",
    async () => {
      const page = aikoPage;
      const uploads: number[] = [];
      const watch = (request: { method(): string; url(): string; postDataBuffer(): Buffer | null }) => {
        if (request.method() === "POST" && request.url().includes("/uploads")) uploads.push(request.postDataBuffer()?.length ?? 0);
      };
      page.on("request", watch);
      try {
        const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Attach files" }).click()]);
        await chooser.setFiles([
          { name: "huge.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(UPLOAD_MAX_BYTES + 1, 7) },
          { name: "small.txt", mimeType: "text/plain", buffer: Buffer.from("small enough") },
        ]);
        const tray = page.getByRole("list", { name: "Files to send" });
        const huge = tray.getByRole("listitem").filter({ hasText: "huge.bin" });
        // Said at once, in the server's words for it, with the limit rounded down (formatSize).
        await eventually(async () => expect((await huge.textContent())!.replace(/[\u2066-\u2069]/g, "")).toContain(`Files can be at most ${formatSize(UPLOAD_MAX_BYTES, "en-US", "floor")}`));
        const sendButton = page.getByRole("button", { name: "Send message" });
        await huge.getByRole("button", { name: /^Remove\W*huge\.bin/ }).click();
        await eventually(async () => expect(await sendButton.isEnabled()).toBe(true), 20_000); // small.txt is uploaded
        // Only the small file went to the server: the big one's bytes never left the page.
        expect(uploads.length).toBe(1);
        expect(uploads[0]).toBeLessThan(10_000);
        await sendButton.click();
        await messageLog(page).locator("li.message").filter({ has: page.getByRole("link", { name: "Download small.txt" }) }).waitFor({ timeout: 15_000 });
      } finally {
        page.off("request", watch);
      }
    },
    TEST_TIMEOUT,
  );
});
