/** @jest-environment jsdom */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { RoomSummary } from "@/lib/realtime/events";
import type { Attachment } from "@/lib/chat/types";
import { ChatApp } from "@/components/chat/chat-app";
import { ChatProvider } from "@/components/chat/chat-provider";
import { mockFetch, userSession } from "../helpers/fetch-mock";
import { fakeIo, type FakeSocket } from "./fake-socket";
import { fakeUploads } from "./fake-uploads";
import { message } from "./fixtures";
import { isolated } from "../helpers/isolated";

// Drafts are kept in the tab (drafts.ts) and a session can end without a sign-out (deactivated, signed
// out elsewhere, a new password, expired): the sign-in page comes, and whoever signs in next uses the tab.
jest.mock("socket.io-client", () => ({ io: jest.fn() }));
jest.mock("next/navigation", () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn() }) }));
let uploads = fakeUploads();
jest.mock("@/components/chat/upload-client", () => ({
  ...jest.requireActual("@/components/chat/upload-client"),
  startUpload: (...args: Parameters<typeof uploads.start>) => uploads.start(...args),
}));

let sockets: FakeSocket[];
const latest = () => sockets[sockets.length - 1];
const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));
const general: RoomSummary = { name: "general", kind: "public", private: false, online: 1, unread: 0, lastSeq: 1, lastMessageId: null };
const doc: Attachment = { id: "d".repeat(22), name: "salaries.xlsx", type: "application/vnd.ms-excel", size: 1536, url: "/api/files/ddd/salaries.xlsx" };

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  sockets = fakeIo();
  uploads = fakeUploads();
});

/**
 * `name` signs in (the session API and the socket say so) and opens #general; returns its message box.
 * `id` is the account's (`id-<name>` unless given): a renamed account keeps it, a new one has another.
 */
async function signIn(name: string, id = `id-${name}`) {
  mockFetch([{ path: "/api/session", body: userSession(name, false, id) }]);
  const view = render(<ChatProvider><ChatApp room="general" /></ChatProvider>);
  await settle();
  const socket = latest();
  act(() => socket.open());
  act(() => socket.serve("session", { id, name, guest: false, admin: false }));
  await act(async () => socket.lastSent("join-room").reply({
    ok: true, data: { room: {}, messages: [message(1, { room: "general" })], members: [{ name, online: true }], hasMore: false, readSeq: 1 },
  }));
  await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [general] } }));
  return { view, box: screen.getByRole("textbox", { name: "Message #general" }) };
}

/** Leaves a draft in the tab: `words` typed, and the test file uploaded and finished (the `started`-th upload). */
async function leaveDraft(tab: Awaited<ReturnType<typeof signIn>>, words: string, started = 1) {
  const user = userEvent.setup();
  await user.type(tab.box, words);
  await user.upload(tab.view.container.querySelector<HTMLInputElement>('input[type="file"]')!, new File(["x"], doc.name, { type: doc.type }));
  await waitFor(() => expect(uploads.started).toHaveLength(started));
  await act(async () => uploads.started[started - 1].finish(doc));
}

describe("drafts and accounts", () => {
  it("does not show one account's unsent words and files to the next account signing in in the tab after a session end", async () => {
    let tab = await signIn("aiko");
    // A file uploaded with it.
    await leaveDraft(tab, "my private note");
    expect(await within(await screen.findByRole("list", { name: "Files to send" })).findByTitle(doc.name)).toBeInTheDocument();
    // aiko's session ends elsewhere: no sign-out here, the app is left for the sign-in page.
    tab.view.unmount();

    tab = await signIn("ben");
    await settle();
    expect(tab.box).toHaveValue("");
    expect(within(tab.view.container).queryByRole("list", { name: "Files to send" })).toBeNull();
    // Nor are they left in the tab's storage for later.
    await waitFor(() => expect(Object.values(sessionStorage).join(" ")).not.toMatch(/my private note|salaries/));
  });

  it("gives an account its own draft back when it signs in again after its session ended", async () => {
    let tab = await signIn("aiko");
    await leaveDraft(tab, "half a thought");
    tab.view.unmount();

    tab = await signIn("aiko");
    await screen.findByDisplayValue("half a thought");
    expect(await within(await screen.findByRole("list", { name: "Files to send" })).findByTitle(doc.name)).toBeInTheDocument();
  });

  it("gives a renamed account the drafts it left under its old name", async () => {
    let tab = await signIn("aiko", "7");
    await leaveDraft(tab, "before the rename");
    // Renamed (in Settings, in another tab): this tab's connection is closed and the app starts over.
    tab.view.unmount();

    tab = await signIn("aiko.tanaka", "7");
    await screen.findByDisplayValue("before the rename");
    expect(await within(await screen.findByRole("list", { name: "Files to send" })).findByTitle(doc.name)).toBeInTheDocument();
  });

  it("does not give an account's drafts to someone else who later has its old name", async () => {
    let tab = await signIn("aiko", "7");
    await leaveDraft(tab, "not for the next aiko");
    tab.view.unmount();

    // Account 7 was renamed, and another account took the name "aiko".
    tab = await signIn("aiko", "9");
    await settle();
    expect(tab.box).toHaveValue("");
    expect(within(tab.view.container).queryByRole("list", { name: "Files to send" })).toBeNull();
    await waitFor(() => expect(Object.values(sessionStorage).join(" ")).not.toMatch(/not for the next aiko|salaries/));
  });

  it("cancels one account's upload still on its way when the next account signs in in the tab", async () => {
    const user = userEvent.setup();
    let tab = await signIn("aiko");
    await user.upload(tab.view.container.querySelector<HTMLInputElement>('input[type="file"]')!, new File(["x"], doc.name, { type: doc.type }));
    await waitFor(() => expect(uploads.started).toHaveLength(1));
    // aiko's session ends while the file uploads; it would go on for her, but ben signs in.
    tab.view.unmount();
    expect(uploads.started[0].aborted).toBe(false);
    tab = await signIn("ben");
    await settle();
    expect(uploads.started[0].aborted).toBe(true);
    await act(async () => uploads.started[0].finish(doc));
    expect(within(tab.view.container).queryByRole("list", { name: "Files to send" })).toBeNull();
    expect(Object.values(sessionStorage).join(" ")).not.toMatch(/salaries/);
  });
});

describe("a message sent while its file uploads, in the app", () => {
  const random: RoomSummary = { ...general, name: "random" };
  const page = (room: string) => <ChatProvider><ChatApp room={room} /></ChatProvider>;

  /** Opens `room` in the app (the page keeps its composer and gives it the next room), as the server answers. */
  async function moveTo(tab: Awaited<ReturnType<typeof signIn>>, room: string, messages = [] as ReturnType<typeof message>[]) {
    const socket = latest();
    tab.view.rerender(page(room));
    await waitFor(() => expect(socket.lastSent("join-room").args[0]).toBe(room));
    await act(async () => socket.lastSent("join-room").reply({
      ok: true, data: { room: {}, messages, members: [{ name: "aiko", online: true }], hasMore: false, readSeq: 0 },
    }));
    return screen.findByRole("textbox", { name: `Message #${room}` });
  }

  /** Writes in #general with the file still uploading, sends, and moves to #random before the upload ends. */
  async function sendThenMove() {
    const user = userEvent.setup();
    const tab = await signIn("aiko");
    const socket = latest();
    // #random is listed too (it is opened by its address, which the room list must have: room-lookup.ts).
    act(() => socket.serve("rooms-changed"));
    await act(async () => socket.lastSent("list-rooms").reply({ ok: true, data: { rooms: [general, random] } }));
    await user.upload(tab.view.container.querySelector<HTMLInputElement>('input[type="file"]')!, new File(["x"], doc.name, { type: doc.type }));
    await waitFor(() => expect(uploads.started).toHaveLength(1));
    await user.type(tab.box, "the figures{Enter}");
    expect(await screen.findByText("Sending once the upload finishes…")).toBeInTheDocument();
    const box = await moveTo(tab, "random");
    expect(socket.sent("send-message-to-room")).toEqual([]);
    await act(async () => uploads.started[0].finish(doc));
    await waitFor(() => expect(socket.sent("send-message-to-room")).toHaveLength(1));
    return { tab, socket, box };
  }

  it("is sent to the room it was written in once the upload ends, though another room is open by then", async () => {
    const { tab, socket, box } = await sendThenMove();
    expect(socket.lastSent("send-message-to-room").args[0]).toMatchObject({ room: "general", message: "the figures", attachments: [doc.id] });
    expect(socket.lastSent("send-message-to-room").args[0]).not.toHaveProperty("threadId");
    // Nothing changes in #random; #general's draft is empty, as after any send.
    expect(box).toHaveValue("");
    expect(within(tab.view.container).queryByRole("list", { name: "Files to send" })).toBeNull();
    expect(screen.queryByText("Sending once the upload finishes…")).toBeNull();
    expect(Object.values(sessionStorage).join(" ")).not.toMatch(/the figures|salaries/);
  });

  it("goes back to its draft, and the person is told, when the server refuses it", async () => {
    const { tab, socket } = await sendThenMove();
    const refusal = { code: "forbidden", message: "not a member of this room" };
    await act(async () => socket.lastSent("send-message-to-room").reply({ ok: false, error: refusal }));
    const notice = await waitFor(() => {
      const shown = tab.view.container.querySelector<HTMLElement>(".composer-unsent");
      expect(shown).toHaveTextContent(isolated`Your message in ${"#general"} was not sent. It is kept in the draft there.`);
      return shown!;
    });
    expect(within(notice).getByRole("button", { name: "Dismiss" })).toBeInTheDocument();
    expect(socket.sent("send-message-to-room")).toHaveLength(1);

    // Back in #general: the words and the file, ready to send again; no failed copy in the conversation.
    const box = await moveTo(tab, "general", [message(1, { room: "general" })]);
    await waitFor(() => expect(box).toHaveValue("the figures"));
    expect(await within(await screen.findByRole("list", { name: "Files to send" })).findByTitle(doc.name)).toBeInTheDocument();
    expect(within(screen.getByRole("log")).queryByText("the figures")).toBeNull();
    expect(tab.view.container.querySelector(".composer-unsent")).toBeNull();
  });

  it("goes back into its room's box, before what was written since, when refused after the person came back", async () => {
    const user = userEvent.setup();
    const { tab, socket } = await sendThenMove();
    // Back in #general while the message is on its way, and writing the next one.
    const box = await moveTo(tab, "general", [message(1, { room: "general" })]);
    await user.type(box, "and more");
    const refusal = { code: "forbidden", message: "not a member of this room" };
    await act(async () => socket.lastSent("send-message-to-room").reply({ ok: false, error: refusal }));
    await waitFor(() => expect(box).toHaveValue("the figures\nand more"));
    expect(await within(await screen.findByRole("list", { name: "Files to send" })).findByTitle(doc.name)).toBeInTheDocument();
    expect(tab.view.container.querySelector(".composer-unsent")).toHaveTextContent(/Your message in .#general. was not sent/);
    // What the box shows is what the draft keeps.
    await user.type(box, "!");
    expect(Object.values(sessionStorage).join(" ")).toMatch(/the figures\nand more!/);
    expect(socket.sent("send-message-to-room")).toHaveLength(1);
  });
});
