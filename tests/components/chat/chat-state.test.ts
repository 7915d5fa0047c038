import { chatStateReducer, initialChatState } from "@/components/chat/chat-state";
import { message } from "./fixtures";

// A file of its own: the live reducer registers itself when chat-reducer.ts is first imported.
describe("the chat state before and after the socket client's reducer has loaded", () => {
  it("handles the page's own actions at once, and the socket's only once chat-reducer.ts is loaded", async () => {
    const seeded = chatStateReducer(initialChatState, { type: "seeded", room: "general", messages: [message(1)], hasMore: false });
    const opened = chatStateReducer(seeded, { type: "open-room", room: "general" });
    expect(opened.currentRoom).toBe("general");
    expect(opened.roomViews.general.messages.map((m) => m.seq)).toEqual([1]);

    // Before the socket client's chunk, an action it would bring changes nothing (and does not throw).
    const early = chatStateReducer(opened, { type: "received", message: message(2) });
    expect(early).toBe(opened);

    await import("@/components/chat/chat-reducer");
    const live = chatStateReducer(opened, { type: "received", message: message(2) });
    expect(live.roomViews.general.messages.map((m) => m.seq)).toEqual([1, 2]);
  });
});
