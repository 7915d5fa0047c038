/** @jest-environment jsdom */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { AdminShell } from "@/components/admin/admin-shell";
import { AnnouncementForm } from "@/components/admin/announcement-form";
import { BotsPanel } from "@/components/admin/bots-panel";
import { JoinLinkPanel } from "@/components/admin/join-link-panel";
import { withFramesBeforeRender } from "../helpers/frames-first";

describe("admin pages keep the keyboard's focus", () => {
  it("gives the focus to the page's heading when a page opens with nothing focused", () => {
    render(
      <AdminShell title="Live logs" backLabel="Back to chat" other={{ label: "Admin", href: "/admin" }}>
        <p>entries</p>
      </AdminShell>,
    );
    expect(screen.getByRole("heading", { level: 1, name: "Live logs" })).toHaveFocus();
  });

  it("keeps the focus on Send announcement while it is sent (not disabled), and takes no second press meanwhile", async () => {
    // The server's answer is held until the test lets it go, to look at the form while it is sent.
    let answer!: () => void;
    const posts: unknown[] = [];
    globalThis.fetch = jest.fn((_input: RequestInfo | URL, init: RequestInit = {}) => {
      posts.push(init.body);
      return new Promise<Response>((resolve) => {
        answer = () => resolve({ ok: true, status: 200, statusText: "", headers: { get: () => null }, json: async () => ({}) } as unknown as Response);
      });
    }) as unknown as typeof fetch;
    const user = userEvent.setup();
    render(<AnnouncementForm />);
    await user.type(screen.getByRole("textbox", { name: "Message to everyone" }), "Maintenance at noon");
    await user.tab();
    const send = screen.getByRole("button", { name: "Send announcement" });
    expect(send).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(posts).toHaveLength(1);
    expect(send).not.toBeDisabled();
    expect(send).toHaveAttribute("aria-disabled", "true");
    expect(send).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(posts).toHaveLength(1);
    await act(async () => answer());
    expect(await screen.findByRole("status")).toHaveTextContent("Announcement sent.");
    expect(screen.getByRole("textbox", { name: "Message to everyone" })).toHaveValue("");
    expect(send).toHaveFocus();
    expect(send).not.toHaveAttribute("aria-disabled");
  });

  it("asks before rotating the join link, as before deactivating: Esc and Cancel answer no and give the focus back", async () => {
    const posts: string[] = [];
    const reply = (body: unknown) => ({ ok: true, status: 200, statusText: "", headers: { get: () => null }, json: async () => body }) as unknown as Response;
    globalThis.fetch = jest.fn((input: RequestInfo | URL, init: RequestInit = {}) => {
      if ((init.method ?? "GET") !== "GET") posts.push(String(input));
      return Promise.resolve(reply({ code: "old", url: "http://localhost/join/old" }));
    }) as unknown as typeof fetch;
    const user = userEvent.setup();
    render(<JoinLinkPanel />);
    await screen.findByDisplayValue("http://localhost/join/old");
    await user.click(screen.getByRole("button", { name: "Rotate" }));
    const ask = screen.getByRole("alertdialog", { name: "Rotate the join link? The current link stops working at once." });
    expect(within(ask).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await waitFor(() => expect(screen.getByRole("button", { name: "Rotate" })).toHaveFocus());
    await user.click(screen.getByRole("button", { name: "Rotate" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Rotate" })).toHaveFocus());
    expect(posts).toEqual([]);
    expect(screen.getByDisplayValue("http://localhost/join/old")).toBeInTheDocument();
  });

  it("keeps the focus on Rotate while the join link is rotated, and takes no second press meanwhile", async () => {
    let answer!: () => void;
    const posts: string[] = [];
    const reply = (body: unknown) => ({ ok: true, status: 200, statusText: "", headers: { get: () => null }, json: async () => body }) as unknown as Response;
    globalThis.fetch = jest.fn((_input: RequestInfo | URL, init: RequestInit = {}) => {
      if ((init.method ?? "GET") === "GET") return Promise.resolve(reply({ code: "old", url: "http://localhost/join/old" }));
      posts.push(String(_input));
      return new Promise<Response>((resolve) => {
        answer = () => resolve(reply({ code: "new", url: "http://localhost/join/new" }));
      });
    }) as unknown as typeof fetch;
    const user = userEvent.setup();
    render(<JoinLinkPanel />);
    await screen.findByDisplayValue("http://localhost/join/old");
    screen.getByRole("button", { name: "Rotate" }).focus();
    await user.keyboard("{Enter}");
    // The question's Cancel has the focus (Enter, Enter rotates nothing); its Rotate is one Shift+Tab back.
    expect(posts).toHaveLength(0);
    expect(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await user.tab({ shift: true });
    expect(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Rotate" })).toHaveFocus();
    // Before any frame is drawn (a busy browser), Rotate has the focus back: never the page meanwhile.
    const frames = jest.spyOn(window, "requestAnimationFrame").mockImplementation(() => 0);
    try {
      await user.keyboard("{Enter}");
      expect(screen.getByRole("button", { name: "Rotate" })).toHaveFocus();
    } finally {
      frames.mockRestore();
    }
    expect(posts).toHaveLength(1);
    const rotate = screen.getByRole("button", { name: "Rotate" });
    expect(rotate).toHaveAttribute("aria-disabled", "true");
    await waitFor(() => expect(rotate).toHaveFocus());
    await user.keyboard("{Enter}");
    expect(posts).toHaveLength(1);
    expect(screen.queryByRole("alertdialog")).toBeNull();
    await act(async () => answer());
    await screen.findByDisplayValue("http://localhost/join/new");
    expect(rotate).toHaveFocus();
    expect(rotate).not.toHaveAttribute("aria-disabled");
    expect(screen.getByText("A new link was made; the old one no longer works.")).toHaveAttribute("role", "status");
  });

  it("keeps the focus on Create bot while the bot is made (not disabled), then gives it to the token shown once", async () => {
    let answer!: () => void;
    const posts: unknown[] = [];
    globalThis.fetch = jest.fn((_input: RequestInfo | URL, init: RequestInit = {}) => {
      posts.push(init.body);
      return new Promise<Response>((resolve) => {
        answer = () =>
          resolve({ ok: true, status: 201, statusText: "", headers: { get: () => null }, json: async () => ({ name: "deploy-bot", token: "hbk_0123456789" }) } as unknown as Response);
      });
    }) as unknown as typeof fetch;
    const user = userEvent.setup();
    render(<BotsPanel onCreated={jest.fn()} />);
    await user.type(screen.getByRole("textbox", { name: "Bot name" }), "deploy-bot");
    await user.tab();
    const create = screen.getByRole("button", { name: "Create bot" });
    expect(create).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(posts).toHaveLength(1);
    expect(create).not.toBeDisabled();
    expect(create).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(posts).toHaveLength(1);
    // A busy browser: a frame asked for when the answer comes is drawn before React renders the answer.
    await withFramesBeforeRender(() => act(async () => answer()));
    // The name is emptied (Create is disabled again): the focus is on the token, to copy it.
    const token = await screen.findByRole("textbox", { name: "Token for \u2068deploy-bot\u2069" });
    await waitFor(() => expect(token).toHaveFocus());
    expect(document.activeElement).not.toBe(document.body);
  });
});
