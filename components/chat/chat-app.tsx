"use client";
/** A room's full screen: sidebar, header, messages, typing hint, composer and members panel. */
import { lazyPart } from "./chunk-load";
import { useRouter } from "next/navigation";
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { followInApp } from "./follow-in-app";
import type { Refusal } from "@/components/auth/api";
import { useT } from "@/components/i18n/use-t";
import { useDocumentTitle } from "@/components/page-title";
import { SkipLink } from "@/components/skip-link";
import { useThreadOnScreen } from "@/components/notifications/notifications-provider";
import { isolateIfNeeded } from "@/lib/text/isolate";
import { useAnnouncedChanges } from "./announced-changes";
import { ChatHeader } from "./chat-header";
import { useChatContext } from "./chat-provider";
import { own } from "./name-map";
import { ChatSidebar } from "./chat-sidebar";
import { ComposerShell } from "./composer-shell";
import { MembersPanel } from "./members-panel";
import { SearchStandIn } from "@/components/search/search-stand-in";
import { RoomBody } from "./room-body";
import { DEFAULT_ROOM, messageIdFromHash, messagePath, onOpenMessageRequest, roomLabel, roomPath } from "./room-path";
import { roomMeantIn } from "./room-lookup";
import { roomAfterLeaving, roomSummaries, waitingElsewhere } from "./room-summaries";
import { TypingIndicator } from "./typing-indicator";
import { useShortcutListener } from "./keyboard/shortcut-queue";
import { useActionsHeldDuringPress, useEscapeHidesHoverActions } from "./hold-actions";
import { useDeferredReady } from "./use-deferred-ready";
import { preloadable, useLoaded } from "./preloadable";
import { lastOwnMessage } from "./message-rows";
import { seededView } from "./chat-state";
import { markdownWithPage, PageMarkdown } from "./markdown/page-markdown";
import type { RoomFirstPage } from "@/lib/pages/page-data";
// Installs the page's guard that keeps an input method's Esc from every handler (ime.ts).
import "./ime";

// Out of the first load: the panels that open on request (search, threads), each a chunk fetched when
// first opened; what the keyboard shortcuts do (and the switcher and the list of them they open), with
// the page's idle parts (idle-parts.ts), shortcut-queue.ts holding a key pressed before; and, with the
// room's live parts (live-parts.ts, fetched right after the first render), the notice of a room this
// person was removed from, the loading of a found message (a search result, a message link) and the
// composer: nobody can write before the socket has joined the room, so until its code is here a disabled
// stand-in with the same markup takes its place.
// Fetched with the idle parts (below), so the first `/` opens it at once and keys typed right after reach its box.
const SearchPanel = preloadable(() => import("@/components/search/search-panel").then((m) => ({ default: m.SearchPanel })));
/**
 * A thread's panel whose chunk would not load (chunk-load.tsx): the thread is closed again at once, so
 * that Reply opens it anew, which asks for the chunk again (lazyPart's `again`) instead of leaving the
 * thread "open" with no panel, where Reply on its root changed nothing until a reload.
 */
function ThreadNotLoaded({ onClose }: { onClose(): void }) {
  useEffect(() => {
    onClose();
  }, [onClose]);
  return null;
}
const ThreadPanel = lazyPart(() => import("./thread-panel").then((m) => ({ default: m.ThreadPanel })), ThreadNotLoaded, { again: true });
const LostRoom = lazyPart(() => import("./live-parts").then((m) => ({ default: m.LostRoom })));
const FoundMessage = lazyPart(() => import("./live-parts").then((m) => ({ default: m.FoundMessage })));
const ShortcutKeys = lazyPart(() => import("./idle-parts").then((m) => ({ default: m.ShortcutKeys })));
const composer = preloadable(() => import("./live-parts").then((m) => ({ default: m.Composer })));
// What a room not found says (the room list decides that, so the socket is there and so, soon, are these parts).
const missingRoom = preloadable(() => import("./live-parts").then((m) => ({ default: m.MissingRoom })));

/** Gives the focus back to the header button (by its class) that opened a drawer or panel now closed. */
function focusOpener(selector: string) {
  document.querySelector<HTMLElement>(`.room-header ${selector}`)?.focus();
}

/** Focus given to a part of the page, not pressed into by the keyboard: no ring (see admin-shell.tsx). */
const QUIET_FOCUS = { focusVisible: false } as FocusOptions;

/** The room this document showed last (a room page opened after another is a move within the app). */
let lastRoomShown: string | null = null;

/**
 * `firstPage`: the room's newest messages as the server rendered them for a signed-in reader (see
 * lib/pages/page-data.ts); shown from the first paint until the socket's join brings the same page.
 *
 * `taken`: the server found the name held by a room the reader may not read (a private room of others, a
 * look-alike's): if the room list lacks it, the page says it is not theirs and offers no Create.
 */
export function ChatApp({ room, firstPage, taken: takenHere }: { room: string; firstPage?: RoomFirstPage; taken?: boolean }) {
  const { state, actions, me, self, account, changeName, signOut } = useChatContext();
  const t = useT();
  const changes = useAnnouncedChanges(actions.changes, self);
  const router = useRouter();
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [membersOpen, setMembersOpen] = useState(false);
  // Whether the members panel covers the page when open (phones, as the rooms drawer does): MembersPanel
  // measures it. Read with membersOpen, so the render that closes the panel is the one that ends it.
  const [membersCover, setMembersCover] = useState(false);
  // The same for a thread's panel (ThreadPanel measures it; it covers the page on phones too), read with
  // whether a thread is open (roomCovered, below), so the render that closes it is the one that ends it.
  const [threadCover, setThreadCover] = useState(false);
  // The header button to give the focus back to once the render that closed its drawer is committed:
  // until then the room is still inert behind the rooms drawer (or members panel), and focus() on it does nothing.
  const [returnFocus, setReturnFocus] = useState<{ to: string } | null>(null);
  useEffect(() => {
    if (returnFocus) focusOpener(returnFocus.to);
  }, [returnFocus]);
  // Open: `{}`, or `{ query }` to search for at once (typed in the room switcher).
  /** `query`: search for it at once (the room switcher); `typed`: what was typed into the stand-in while the panel loaded. */
  // `opener`: what had the focus when search was asked for. The stand-in box takes the focus until the
  // panel comes, so the panel gives it back there on closing.
  const [searchOpen, setSearchOpen] = useState<{ query?: string; typed?: string; opener: HTMLElement | null } | false>(false);
  const openSearch = (query?: string) => {
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setSearchOpen((open) => ({ query, opener: open ? open.opener : focused }));
  };
  const skip = useRef<HTMLAnchorElement>(null);
  // Each opening of a message is a new object (`at`), so opening the same result again scrolls to it again.
  const [found, setFoundState] = useState<{ room: string; id: string; at: number; missing?: boolean } | null>(null);
  const setFound = useCallback((f: { room: string; id: string }) => setFoundState({ ...f, at: performance.now() }), []);
  const foundMissing = useCallback(() => setFoundState((f) => (f ? { ...f, missing: true } : f)), []);
  // `/` opens search from the first load: the stand-in box takes the keys typed right after it.
  useShortcutListener(account ? () => openSearch() : undefined);
  useActionsHeldDuringPress();
  useEscapeHidesHoverActions();
  const keysReady = useDeferredReady();
  useEffect(() => {
    if (keysReady && account) SearchPanel.preload();
  }, [keysReady, account]);
  const Composer = useLoaded(composer);
  const MissingRoom = useLoaded(missingRoom);
  /** The message being edited in place (one at a time; Up-arrow in the composer picks your last one). */
  const [editingId, setEditingId] = useState<string | null>(null);
  /** The edit was opened from the composer (↑): saving or cancelling goes back there, not to Edit. */
  const editFromComposer = useRef(false);
  function editing(id: string | null) {
    setEditingId(id);
    if (id !== null || !editFromComposer.current) return;
    editFromComposer.current = false;
    // After the actions row has given the focus to its Edit button (the form it was in is gone).
    requestAnimationFrame(() => document.querySelector<HTMLElement>("#chat-main .composer-input")?.focus());
  }
  /** The root of the reply thread open beside the room, if any. */
  const [thread, setThread] = useState<{ room: string; rootId: string } | null>(null);
  const threadRoot = thread?.room === room ? thread.rootId : null;
  const roomCovered = sidebarOpen || (membersOpen && membersCover) || (!!threadRoot && threadCover);
  // Replies in the open thread need no toast; replies in the room's other threads do.
  useThreadOnScreen(threadRoot ? { room, rootId: threadRoot } : null);

  const seed = firstPage?.room === room ? firstPage : undefined;
  // The messages whose Markdown the page's HTML has rendered, which hydration renders alike.
  const pageMarkdown = useMemo(() => markdownWithPage(seed?.messages ?? []), [seed]);
  useEffect(() => {
    if (seed) actions.seed(room, seed.messages, seed.hasMore);
    actions.openRoom(room);
    // A new page object for the same room (a refresh) changes nothing: only the room decides.
  }, [room, actions]);

  // Moving to another room (switcher, Alt+arrows, a result, a new room, a click in the list) takes the
  // old room's controls away, and with them the focus. With a keyboard and a mouse or touchpad (a fine
  // pointer) it goes to the room's message box, as in Slack, Mattermost and Discord: whatever comes next
  // lands there, also what no key event carries (an IME's composition, dictation, a paste; an outside
  // trial lost Japanese typed right after Alt+↓), and its name ("Message #random") says where one is.
  // On a touch screen it goes to the skip link, the page's first stop, as on a new page, so no on-screen
  // keyboard opens unasked (a character typed there still goes to the composer, see typesIntoComposer);
  // so it does where the room has no box to write in (archived, not found). Not on the first load,
  // where Tab starts at the skip link.
  useEffect(() => {
    const moved = lastRoomShown !== null && lastRoomShown !== room;
    lastRoomShown = room;
    const active = document.activeElement;
    if (!moved || (active && active !== document.body)) return;
    // Opened at a message (a search result or a link from another room): that message takes the focus once
    // it is in (MessageKeys), as on a page load; the message box would keep it from there (an outside trial).
    if (messageIdFromHash(window.location.hash)) return;
    const box = window.matchMedia?.("(pointer: fine)").matches
      ? document.querySelector<HTMLTextAreaElement>("#chat-main .composer-input:not(:disabled)")
      : null;
    if (!box) return void skip.current?.focus({ preventScroll: true });
    box.focus({ preventScroll: true });
    box.setSelectionRange(box.value.length, box.value.length);
  }, [room]);

  // A message link (messagePath: `#m-<id>`) opens the room at that message, as a search result does.
  useEffect(() => {
    const follow = () => {
      const id = messageIdFromHash(window.location.hash);
      if (id) setFound({ room, id });
    };
    follow();
    window.addEventListener("hashchange", follow);
    // A toast about a message of this room (a reply in a closed thread) opens it here.
    const unlisten = onOpenMessageRequest((asked, id) => {
      if (asked === room) setFound({ room, id });
    });
    return () => {
      window.removeEventListener("hashchange", follow);
      unlisten();
    };
  }, [room, setFound]);

  const rooms = roomSummaries(state, room, seed?.kind, seed?.title);
  const summary = rooms.find((r) => r.name === room);
  // A room not known to exist is looked up in the room list before it is joined (room-lookup.ts). Not
  // in it: the page says so and offers to create it. Another spelling of a listed room (`/rooms/General`,
  // when the server's redirect did not catch it): that room, at its own address.
  const lookup = state.roomLookup?.room === room ? state.roomLookup : undefined;
  const missing = lookup?.status === "missing";
  const meant = lookup?.status === "elsewhere" ? lookup.meant : null;
  useEffect(() => {
    if (meant) router.replace(roomPath(meant) + window.location.hash);
  }, [meant, router]);
  // Made from the prompt (or by someone else meanwhile), or its name found taken: the prompt and its
  // Create button are gone, and the focus with them. It waits on the conversation (#chat-main, where the
  // prompt was) while the room is joined, then goes to its message box, what one does next in a room just
  // made, or to why the join was refused (a private room of others), never to the page. Focus the person
  // put elsewhere meanwhile stays there.
  const wasMissing = useRef(false);
  const joinStatus = own(state.roomViews, room)?.status;
  const composerShown = !missing && !!Composer;
  useEffect(() => {
    if (missing) return void (wasMissing.current = true);
    if (!wasMissing.current) return;
    const active = document.activeElement as HTMLElement | null;
    // A focused box that was disabled (the join refused) has lost the focus in a browser (jsdom keeps it).
    const idle = !active || active === document.body || active.id === "chat-main" || (active.matches("textarea") && (active as HTMLTextAreaElement).disabled);
    if (!idle) return void (wasMissing.current = false);
    const main = document.getElementById("chat-main");
    const refused = joinStatus === "error" ? main?.querySelector<HTMLElement>(".room-refused") : null;
    const box = joinStatus === "ready" && composerShown ? main?.querySelector<HTMLElement>(".composer-input:not(:disabled)") : null;
    const to = refused ?? box;
    if (to) wasMissing.current = false;
    (to ?? main)?.focus(QUIET_FOCUS);
  }, [missing, joinStatus, composerShown]);
  // Where a room not found offers to go instead: the default room, else the first room listed.
  const others = rooms.filter((r) => r.name !== room);
  const back = others.find((r) => r.name === DEFAULT_ROOM) ?? others.find((r) => r.kind !== "dm") ?? others[0];
  const label = roomLabel(room, summary);
  // The unread count in front of the title is the UnreadBadge's (it leaves out muted rooms). Only a name
  // that could reorder " · Hibiki" is isolated: no invisible marks around "#general" in the tab.
  const taken = lookup?.status === "missing" && (!!lookup.taken || !!takenHere);
  useDocumentTitle(missing ? t(taken ? "room.takenTitle" : "room.missingTitle") : isolateIfNeeded(label));

  // Until the effect above has put the server-rendered page into the state (hydration renders first).
  const view = own(state.roomViews, room) ?? (seed && seededView(seed.messages, seed.hasMore));
  const foundId = found?.room === room ? found.id : null;
  // A found reply is shown in its thread: the panel opens (again, for each link or search result that
  // names one) and brings the reply into view there.
  const foundThread = foundId
    ? (view?.messages.find((m) => m.id === foundId) ?? view?.threadMessages?.find((m) => m.id === foundId))?.threadId
    : undefined;
  useEffect(() => {
    if (foundThread) openThread(foundThread);
  }, [found, foundThread, room]);
  // One panel at a time beside the conversation, as in other team chats: a thread replaces the members
  // list and the members list a thread (whose draft stays with it), so the conversation keeps its width.
  function openThread(rootId: string) {
    setMembersOpen(false);
    setThread({ room, rootId });
  }
  function toggleMembers() {
    if (!membersOpen) setThread(null);
    setMembersOpen(!membersOpen);
  }
  const members = view?.members ?? [];
  // Who `@` offers first: the room's members but the writer and the bots, whom no mention notifies.
  const mentionable = useMemo(() => members.filter((m) => !m.bot && m.name !== me).map((m) => m.name), [members, me]);
  const typing = Object.keys(own(state.typing, room) ?? {}).filter((n) => n !== me);
  const { connection } = state;
  const blockedReason =
    connection.status !== "connected"
      ? t.text(connection.reason ?? { key: "conn.toServer" })
      : view?.status === "error" ? t("conn.cantPost") : t("conn.opening");

  function selectRoom(name: string) {
    setSidebarOpen(false);
    if (name !== room) router.push(roomPath(name));
    // The room already open, chosen in the drawer (phones): nothing to go to, and the link that had the
    // focus is hidden with the drawer; it goes back to the button that opened it, as closing does.
    else if (sidebarOpen) setReturnFocus({ to: ".menu-button" });
  }

  async function createRoom(name: string, isPrivate: boolean): Promise<Refusal | void> {
    const res = await actions.createRoom(name, isPrivate);
    if (res.ok) return selectRoom(res.data.room.name);
    // An existing public room is simply joined: the form reads "create or join". So is a private room of
    // one's own (in the sidebar) asked for again as private. A private room asked for is never swapped for
    // a public one of that name (anyone could have made it, to read what is written there next): that
    // name is "taken". A public room asked for whose name a room one is not in has (not listed: every
    // public room is) is gone to, and its page says it cannot be opened and who can let one in
    // (MissingRoom's `taken`): nothing is joined there.
    if (res.error.code === "conflict") {
      // The listed room the name means (another case or width, a leading #), as an address is read.
      const existing = rooms.find((r) => r.name === (roomMeantIn(rooms, name) ?? name));
      if (!isPrivate) return selectRoom(existing?.name ?? name);
      if (existing?.kind === "private") return selectRoom(existing.name);
    }
    return res.error;
  }

  async function openDm(person: string): Promise<Refusal | void> {
    const res = await actions.openDm(person);
    return res.ok ? selectRoom(res.data.room.name) : res.error;
  }

  return (
    <PageMarkdown.Provider value={pageMarkdown}>
    <div
      className="chat"
      data-sidebar-open={sidebarOpen}
      data-members-open={membersOpen}
      onClick={(e) => followInApp(e, router.push)}
      onKeyDown={(e) => {
        if (e.key !== "Escape") return;
        const from = e.target as Element;
        const inDrawer = sidebarOpen && !!from.closest?.("#chat-sidebar");
        const inMembers = membersOpen && !!from.closest?.("#chat-members");
        setSidebarOpen(false);
        setMembersOpen(false);
        // The focus was in what closes: it goes back to the button that opened it, not to the page.
        if (inDrawer) setReturnFocus({ to: ".menu-button" });
        else if (inMembers) setReturnFocus({ to: ".members-toggle" });
      }}
    >
      {/* The first thing a keyboard reaches: past the sidebar, straight to the conversation. */}
      <SkipLink ref={skip} target="chat-main" label={t("keys.skip")} />
      <ChatSidebar
        rooms={rooms} currentRoom={room} onSelectRoom={selectRoom} onCreateRoom={createRoom}
        onOpenDm={account ? openDm : undefined} canCreatePrivate={!!account}
        me={me} account={account} connection={state.connection.status} open={sidebarOpen}
        onClose={() => (setSidebarOpen(false), setReturnFocus({ to: ".menu-button" }))} onChangeName={changeName} onSignOut={signOut}
      />
      {(sidebarOpen || membersOpen) && (
        <div className="scrim" aria-hidden="true" onClick={() => (setSidebarOpen(false), setMembersOpen(false))} />
      )}
      {/* While the rooms drawer, the members panel or a thread covers it (phones), the room behind is out of reach: they are modal. */}
      <main className="room" id="chat-main" tabIndex={-1} inert={roomCovered || undefined}>
        <ChatHeader
          room={room} summary={summary} connection={connection}
          onReconnect={actions.reconnect} sidebarOpen={sidebarOpen} onOpenSidebar={() => setSidebarOpen(true)}
          waiting={waitingElsewhere(rooms, room)}
          membersOpen={membersOpen} memberCount={members.filter((m) => m.online).length}
          onToggleMembers={toggleMembers} account={!!account} joined={view?.status === "ready"} missing={missing} taken={taken}
          onSearch={account ? () => openSearch() : undefined}
        />
        {/* One that needs a sign-in is said on the sign-in page the provider goes to (or, for a banned guest
            name, in the name prompt): not here too. */}
        {state.authProblem && !state.authProblem.nameRefused && !state.authProblem.signInRequired && (
          <p className="banner" role="alert">{t.text(state.authProblem.message)}</p>
        )}
        {state.lostRoom && (
          <Suspense fallback={null}>
            {/* The room the socket client has open, not the address: opening the lost room again (a link,
                Back) changes the address first, and only the client's open-room, which ends the loss, may
                tell that from the page still being in the room it lost. */}
            <LostRoom lostRoom={state.lostRoom} left={state.lostRoomLeft} room={state.currentRoom ?? room} next={roomAfterLeaving(rooms, state.lostRoom)} onDismiss={actions.dismissLostRoom} />
          </Suspense>
        )}
        {/* A message looked for in a room that is not there: the room's absence is what is said (below). */}
        {found?.missing && found.room === room && !missing && (
          <p className="banner" role="status">{t("room.notFound", { room: label })}</p>
        )}
        {missing && MissingRoom ? (
          <MissingRoom
            room={room} back={back && { name: back.name, label: roomLabel(back.name, back) }}
            // Made as "New room" makes a room (a public one), and opened (in place, at this address).
            onCreate={() => createRoom(room, false)} onGo={selectRoom} taken={taken} guest={!!state.session?.guest}
          />
        ) : (
          <RoomBody
            room={room} label={label} direct={summary?.kind === "dm"} privateRoom={(summary?.kind ?? seed?.kind) === "private"} view={view} me={me} self={self} onLoadOlder={actions.loadOlder} onLoadNewer={actions.loadNewer} onLoadMissing={actions.loadMissing} onRetry={actions.retry}
            onDiscard={actions.discard} onRejoin={() => actions.openRoom(room)} foundId={foundId} foundAt={found?.at}
            // An archived room's messages cannot change: no actions are offered.
            changes={summary?.archived ? undefined : changes} admin={state.session?.admin}
            editingId={editingId} onEditing={editing} onOpenThread={openThread}
            newAfterSeq={state.newSince?.room === room ? state.newSince.afterSeq : undefined}
          />
        )}
        {!missing && <TypingIndicator names={typing} />}
        {missing ? null : summary?.archived ? (
          // Nothing can be posted in an archived room: said where the message box would be.
          <p className="archived-note" role="status">{t("room.archived")}</p>
        ) : Composer ? (
          <Composer
            room={room} label={label} disabledReason={blockedReason}
            // Once the server has said who this is (its first `session`), the text field takes text: a
            // room still opening sends it too (the server takes a message for a room this connection has
            // not joined yet, where the user may post), so what is typed and sent right after a move to
            // another room is not lost. A lost connection holds sending but leaves the text field to write
            // in (see Composer). Only a room that refused the join locks it.
            disabled={!state.session || view?.status === "error"} offline={connection.status !== "connected"}
            maxLength={state.session?.messageMaxChars}
            // To this room, also a message that goes after the room was left (it waited for its files).
            onSend={(text, files) => actions.send(text, files, room)} onSendLeft={(text, files) => actions.sendLeft(room, text, files)}
            onTyping={actions.notifyTyping}
            onEditLast={() => {
              const last = lastOwnMessage(view?.messages, self)?.id ?? null;
              editFromComposer.current = last !== null;
              setEditingId(last);
            }}
            canAttach={!!account}
            people={mentionable} mentionAnyone={!!account && summary?.kind === "public"} mentionRoom={!!account && !!summary && summary.kind !== "dm"}
          />
        ) : (
          <ComposerShell label={label} reason={blockedReason} canAttach={!!account} />
        )}
      </main>
      {searchOpen && (
        // Until the panel's chunk is here, a box in its place takes what is typed (search-stand-in.tsx).
        <Suspense fallback={
          <SearchStandIn
            value={searchOpen.typed ?? searchOpen.query ?? ""}
            onType={(typed) => setSearchOpen((open) => ({ typed, opener: open ? open.opener : null }))}
            onClose={() => setSearchOpen(false)}
          />
        }>
          <SearchPanel.Component
            query={searchOpen.query} typed={searchOpen.typed} opener={searchOpen.opener} rooms={state.rooms}
            onClose={() => setSearchOpen(false)}
            onOpen={(name, id) => {
              setSearchOpen(false);
              // Another room is another page: the message goes with the address (#m-<id>, as a message
              // link), which the room's page follows when it opens; this room follows it at once, and
              // its address names the message too (a reload or a copied address opens it there again).
              // In place of the address, not as a new page: Back after it would have changed only the
              // address and left the view at the result (an outside trial). A replaced address fires no
              // `hashchange`, so the message is not followed twice.
              if (name === room) {
                setFound({ room: name, id });
                if (messageIdFromHash(window.location.hash) !== id) window.history.replaceState(null, "", messagePath(name, id));
              } else {
                setSidebarOpen(false);
                router.push(messagePath(name, id));
              }
            }}
          />
        </Suspense>
      )}
      {foundId && !missing && (
        <Suspense fallback={null}>
          <FoundMessage key={`${foundId}:${found!.at}`} id={foundId} view={view} loadAround={actions.loadAround} onMissing={foundMissing} />
        </Suspense>
      )}
      {threadRoot && (
        <Suspense fallback={null}>
          <ThreadPanel
            key={`${room}:${threadRoot}`} room={room} label={label} rootId={threadRoot} messages={view?.messages ?? []} held={view?.threadMessages}
            threads={actions.threads} changes={summary?.archived ? undefined : changes} me={me} self={self} admin={state.session?.admin}
            archived={!!summary?.archived}
            foundId={foundThread === threadRoot ? foundId : null} onClose={() => setThread(null)} onCoverPage={setThreadCover}
            people={mentionable} mentionAnyone={!!account && summary?.kind === "public"} mentionRoom={!!account && !!summary && summary.kind !== "dm"}
            canAttach={!!account} connected={connection.status === "connected"}
          />
        </Suspense>
      )}
      <MembersPanel
        open={membersOpen && !missing} room={room} kind={summary?.kind} members={members} me={me}
        onAdd={(name) => actions.addMember(room, name)} onRemove={(name) => actions.removeMember(room, name)}
        archived={!!summary?.archived} onArchive={state.session?.admin ? (to) => actions.archiveRoom(room, to) : undefined}
        onLeave={me && summary?.kind === "public" ? () => actions.leaveRoom(room, me) : undefined}
        onClose={() => (setMembersOpen(false), setReturnFocus({ to: ".members-toggle" }))} onCoverPage={setMembersCover}
      />
      {keysReady && (
        <Suspense fallback={null}>
          <ShortcutKeys rooms={rooms} room={room} onSelectRoom={selectRoom} onSearch={account ? (query?: string) => openSearch(query) : undefined} />
        </Suspense>
      )}
    </div>
    </PageMarkdown.Provider>
  );
}
