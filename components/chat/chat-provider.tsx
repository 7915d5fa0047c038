"use client";
/**
 * Keeps one chat connection alive across room navigation (it lives in the rooms layout, which persists
 * while pages change) and decides who the user is: a signed-in account (the session cookie does the
 * talking), or, where the server allows guests, a name typed into the prompt. Everyone else is sent to
 * /setup or /signin.
 */
import { lazyPart } from "./chunk-load";
import { useRouter } from "next/navigation";
import { createContext, Suspense, use, useCallback, useEffect, useMemo, type ReactNode } from "react";
// Layout last: its phone overrides must win over the controls' defaults.
import "./controls.css";
import "./messages.css";
import "./rich-text.css";
import "./rooms.css";
import "./chat.css";
import "./files.css";
import { signInPath } from "@/components/auth/sign-in-path";
import type { SessionInfo, SessionUser } from "@/components/auth/session-api";
import { SessionSplash } from "@/components/auth/session-splash";
import { useSession } from "@/components/auth/use-session";
import "@/components/i18n/errors-strings";
import { useT } from "@/components/i18n/use-t";
import { AnnouncerProvider } from "./announcer";
import { clearDrafts, DraftOwner } from "./drafts";
import { useChat, type Chat } from "./use-chat";
import { useIdentity } from "./use-identity";
import { selfNamed, type Self } from "./own-messages";

/** The guests' name dialog: a chunk of its own, fetched only when a guest must be asked for a name. */
const NamePrompt = lazyPart(() => import("./name-prompt").then((m) => ({ default: m.NamePrompt })));

export type ChatContextValue = Chat & {
  /** Who the user is: the server's word once it has spoken, the chosen name until then. */
  me: string | null;
  /**
   * The same with the names the user had and when, from the same source: what decides which messages
   * are theirs (own-messages.ts; a name alone would give a renamed user's old messages to whoever took
   * the name since).
   */
  self: Self | null;
  /** The signed-in account; null for a guest. */
  account: SessionUser | null;
  /** Guests may pick another name; null when identity comes from elsewhere (sign-in). */
  changeName: (() => void) | null;
  signOut(): Promise<void>;
};

const ChatContext = createContext<ChatContextValue | null>(null);

export function useChatContext(): ChatContextValue {
  const value = use(ChatContext);
  if (!value) throw new Error("useChatContext must be used inside <ChatProvider>");
  return value;
}

/** For parts that also work outside the chat (notifications on other pages). */
export const useOptionalChatContext = (): ChatContextValue | null => use(ChatContext);

/**
 * `initialSession`: who the visitor is, when the page was rendered on the server for a signed-in account
 * (the room then renders at once, its messages included, instead of after asking the server).
 */
export function ChatProvider({ children, initialSession }: { children: ReactNode; initialSession?: SessionInfo }) {
  const router = useRouter();
  const t = useT();
  const { session: info, error, reload } = useSession(initialSession);
  const account = info?.user ?? null;
  const guestMode = !!info && !account && !info.setupRequired && info.guestAccess;
  const identity = useIdentity();
  const chat = useChat(account ? account.name : guestMode ? (identity.name ?? null) : null, account?.names);
  const { session, authProblem } = chat.state;
  const leaving = !!info && (info.setupRequired || (!account && !info.guestAccess));

  useEffect(() => {
    if (!info) return;
    if (info.setupRequired) router.replace("/setup");
    else if (!account && !info.guestAccess) router.replace(signInPath());
  }, [info, account, router]);
  // A guest whose name an admin banned (`session-ended`, account_deactivated): there is no account to
  // sign in to; the name prompt says so, to go on under another name.
  const bannedGuest = guestMode && !!authProblem?.signInRequired && authProblem.ended === "account_deactivated";
  // The server refused the connection for want of a session (guest access was switched off, or this
  // session ended elsewhere): only signing in helps.
  useEffect(() => {
    if (authProblem?.signInRequired && !bannedGuest) router.replace(signInPath(authProblem.ended ?? true));
  }, [authProblem, bannedGuest, router]);

  const signOut = useCallback(async () => {
    // The server closes this session's sockets itself; leave even if the request failed, as the user
    // asked to be signed out and the sign-in page shows the truth. The request code is imported here,
    // not carried by the first load.
    await import("@/components/auth/session-api").then(({ signOut: endSession }) => endSession()).catch(() => undefined);
    // This browser's pushes were the person's: whoever signs in here next starts without them.
    await import("@/components/notifications/push-client").then(({ endBrowserPushSubscription }) => endBrowserPushSubscription(), () => undefined);
    clearDrafts();
    router.replace("/signin");
  }, [router]);

  // Whose unsent drafts this tab shows (drafts.ts): the server's word once it has spoken, else the account
  // or the guest's chosen name. A session can end without a sign-out and someone else sign in here. An
  // account is known by its id, which a rename keeps (and a name given up may later be someone else's);
  // a guest is its name (anyone choosing that name is that guest).
  const accountId = session ? (session.guest ? null : (session.id ?? account?.id ?? null)) : (account?.id ?? null);
  const draftOwner = session?.guest
    ? `guest:${session.name}`
    : accountId !== null ? `account:${accountId}` : !session && guestMode && identity.name ? `guest:${identity.name}` : null;

  // Renamed elsewhere (another tab, another device): the socket's session, made again after the rename
  // closed it, has the new name while this page's account has the old one and its names. They are asked
  // again, once per new name, so that what the reader wrote under the old name stays theirs.
  const renamedTo = session && !session.guest && account && session.id === account.id && session.name !== account.name ? session.name : null;
  useEffect(() => {
    if (renamedTo) reload();
  }, [renamedTo, reload]);
  // Made an admin (or no longer one) elsewhere: the server closed the connections, and the socket's new
  // session has the role while this page's account, read when the page loaded, does not: the account is
  // asked again, so the page's admin parts (the user menu's Admin link) follow without a reload.
  const roleChanged = !!session && !session.guest && !!account && session.id === account.id && !!session.admin !== !!account.admin;
  useEffect(() => {
    if (roleChanged) reload();
  }, [roleChanged, reload]);

  // The account's name history comes with its session (GET /api/session, or the page): the socket's
  // `session` names only the current name, which then decides alone until the account is known. Its own
  // memo: a typing hint or a presence change must not make every message list recompute what is whose.
  const sessionName = session?.name;
  const self = useMemo<Self | null>(
    () =>
      sessionName !== undefined
        ? { name: sessionName, names: account?.name === sessionName ? account.names : undefined }
        : account ? { name: account.name, names: account.names } : selfNamed(identity.name),
    [sessionName, account, identity.name],
  );

  const canChangeName = guestMode && (!session || session.guest);
  const value = useMemo<ChatContextValue>(
    () => ({
      ...chat,
      me: session?.name ?? account?.name ?? identity.name ?? null,
      self,
      account,
      changeName: canChangeName ? identity.edit : null,
      signOut,
    }),
    [chat, session, account, identity.name, identity.edit, canChangeName, signOut, self],
  );

  if (!info || leaving) return <SessionSplash error={error} onRetry={reload} />;

  const asking = guestMode && identity.name !== undefined && (identity.name === null || identity.editing || !!authProblem?.nameRefused || bannedGuest);
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
      <AnnouncerProvider>
        {/* A new owner starts afresh: no box keeps the words or files it held for the last one. */}
        <DraftOwner key={draftOwner ?? ""} owner={draftOwner}>
          <div className="app-root" inert={asking}>{children}</div>
        </DraftOwner>
      </AnnouncerProvider>
      {asking && (
        <Suspense fallback={null}>
          <NamePrompt
            key={authProblem ? t.text(authProblem.message) : "prompt"}
            initialName={identity.name ?? ""}
            error={authProblem?.nameRefused ? t.text(authProblem.message) : bannedGuest ? t("error.nameBanned") : undefined}
            onSubmit={submitName}
            onCancel={identity.name && !authProblem?.nameRefused && !bannedGuest ? identity.cancel : undefined}
          />
        </Suspense>
      )}
    </ChatContext>
  );
}
