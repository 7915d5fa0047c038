"use client";
/**
 * Keeps one chat connection alive across room navigation (it lives in the rooms layout, which persists
 * while pages change) and asks for a name when there is none or the server refused it.
 */
import { createContext, use, useMemo, type ReactNode } from "react";
// Layout last: its phone overrides must win over the controls' defaults.
import "./controls.css";
import "./messages.css";
import "./rooms.css";
import "./chat.css";
import { NamePrompt } from "./name-prompt";
import { useChat, type Chat } from "./use-chat";
import { useIdentity } from "./use-identity";

export type ChatContextValue = Chat & {
  /** Who the user is: the server's word once it has spoken, the chosen name until then. */
  me: string | null;
  /** Guests may pick another name; null when identity comes from elsewhere (sign-in). */
  changeName: (() => void) | null;
};

const ChatContext = createContext<ChatContextValue | null>(null);

export function useChatContext(): ChatContextValue {
  const value = use(ChatContext);
  if (!value) throw new Error("useChatContext must be used inside <ChatProvider>");
  return value;
}

export function ChatProvider({ children }: { children: ReactNode }) {
  const identity = useIdentity();
  const chat = useChat(identity.name ?? null);
  const { session, authProblem } = chat.state;
  const canChangeName = !session || session.guest;

  const value = useMemo<ChatContextValue>(
    () => ({
      ...chat,
      me: session?.name ?? identity.name ?? null,
      changeName: canChangeName ? identity.edit : null,
    }),
    [chat, session, identity.name, identity.edit, canChangeName],
  );

  const asking = identity.name === null || identity.editing || !!authProblem?.nameRefused;
  const submitName = (name: string) => {
    // Re-submitting a refused name means "try again" (it may be free now); anything else reconnects as it.
    if (name === identity.name) {
      identity.cancel();
      chat.actions.reconnect();
    } else {
      identity.save(name);
    }
  };

  return (
    <ChatContext value={value}>
      <div className="app-root" inert={asking && identity.name !== undefined}>{children}</div>
      {asking && identity.name !== undefined && (
        <NamePrompt
          key={authProblem?.message ?? "prompt"}
          initialName={identity.name ?? ""}
          error={authProblem?.nameRefused ? authProblem.message : undefined}
          onSubmit={submitName}
          onCancel={identity.name && !authProblem?.nameRefused ? identity.cancel : undefined}
        />
      )}
    </ChatContext>
  );
}
