"use client";
/**
 * The room the page was opened with is not in the reader's room list (room-lookup.ts): no room has that
 * name, or it is a private room of others. Nothing was joined (joining a name no room has makes a public
 * room): this says so and offers what the reader may do, create it (as "New room" does; it then opens) or
 * go to a room that exists. A name found taken (`taken`: a private room of others, or a look-alike
 * name's room; by the server as it rendered the page, or by Create here or in New room) says the room cannot be opened and who can let the
 * reader in, and offers Create no more; nothing is joined (a join would only be refused). One of the
 * room's live parts (live-parts.ts).
 */
import { lazyPart } from "./chunk-load";
import { Suspense, useEffect, useMemo, useRef, useState, type MouseEvent } from "react";
import { errorBody, isAppError } from "@/lib/errors";
import { cleanRoomName } from "@/lib/text/rules";
import "@/components/i18n/connection-strings";
import { useT } from "@/components/i18n/use-t";
import { useAnnounce } from "./announcer";
import type { Refusal } from "./chat-types";
import { roomPath } from "./room-path";

// Why the room was not made, in words fetched only then (see refusal-text.tsx).
const RefusalText = lazyPart(() => import("./refusal-text"));

/** The heading takes the focus without a ring, as a page's title does (see admin-shell.tsx). */
const TITLE_FOCUS = { focusVisible: false } as FocusOptions;

type Props = {
  /** The name the page was opened with. */
  room: string;
  /** A room that exists to go to instead (its name, and how it is named to people: "#general"). */
  back?: { name: string; label: string };
  /** Creates the room and opens it; resolves with the refusal when it was not made. */
  onCreate(): Promise<Refusal | void>;
  /** The name is taken, by a room the reader is not in (the page's server, or Create: room-lookup.ts): said instead. */
  taken?: boolean;
  /** The reader is a guest, whom no one can add to a private room: the hint for a name taken says so instead. */
  guest?: boolean;
  onGo(name: string): void;
};

export function MissingRoom({ room, back, onCreate, onGo, taken = false, guest = false }: Props) {
  const t = useT();
  const announce = useAnnounce();
  const heading = useRef<HTMLHeadingElement>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  // A name no room could have (too long, invisible characters, reserved): nothing to offer to create, and
  // why is said at once, by the rule the server would refuse it with (cleanRoomName).
  const unfit = useMemo<Refusal | null>(() => {
    try {
      // A DM's name (`dm:<id>:<id>`, any case or width) is never made by Create: reserved (rooms.ts).
      if (cleanRoomName(room).normalize("NFKC").toLowerCase().startsWith("dm:")) {
        return { code: "bad_request", message: "names starting with dm: are reserved", reason: "name_reserved" };
      }
      return null;
    } catch (err) {
      return isAppError(err) ? errorBody(err) : null;
    }
  }, [room]);

  // Someone not busy elsewhere on the page (it came with the page, or after a move that took the focus
  // away) gets the focus on the heading, which is read, and Tab goes on to Create. Someone busy elsewhere
  // (typing in the search box) keeps their place and hears it from the chat's announcer.
  useEffect(() => {
    const active = document.activeElement;
    const idle = !active || active === document.body || active.id === "chat-main" || active.classList.contains("skip-link");
    if (idle) heading.current?.focus(TITLE_FOCUS);
    else announce(heading.current?.textContent ?? "");
  }, [room, announce]);

  // Found taken while shown (Create pressed here): what this says changes, and Create goes. It had the
  // focus: the heading that now says why takes it, and is read.
  const wasTaken = useRef(taken);
  useEffect(() => {
    if (taken && !wasTaken.current) heading.current?.focus(TITLE_FOCUS);
    wasTaken.current = taken;
  }, [taken]);

  async function create() {
    setBusy(true);
    setRefusal(null);
    const refused = await onCreate();
    // Made: the room opens in place of this. Refused: said here (the button stays for another try, but
    // for a name taken).
    setBusy(false);
    if (refused) setRefusal(refused);
  }

  function follow(e: MouseEvent<HTMLAnchorElement>, name: string) {
    // Modified clicks keep their browser meaning (new tab, new window).
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    onGo(name);
  }

  return (
    <section className="room-placeholder missing-room" aria-labelledby="missing-room-title">
      <h2 ref={heading} id="missing-room-title" className="missing-room-title" tabIndex={-1}>
        {taken ? t("room.notYours", { room }) : t("room.noSuchRoom", { room })}
      </h2>
      {taken ? <p role="alert">{t(guest ? "room.notYoursGuestHint" : "room.notYoursHint")}</p> : <p>{t("room.noSuchRoomHint")}</p>}
      {!taken && (refusal ?? unfit) && (
        <Suspense fallback={null}>
          <p className="field-error" role={refusal ? "alert" : undefined}><RefusalText refusal={(refusal ?? unfit)!} /></p>
        </Suspense>
      )}
      <div className="missing-room-actions">
        {/* Not disabled while it works: a disabled button would drop the focus of whoever pressed it. */}
        {!unfit && !taken && (
          <button type="button" className="button button-primary" onClick={busy ? undefined : create} aria-disabled={busy || undefined}>
            {busy ? t("room.creating") : t("room.createNamed", { room })}
          </button>
        )}
        {back && (
          <a className="button button-secondary" href={roomPath(back.name)} onClick={(e) => follow(e, back.name)}>
            {t("room.goTo", { room: back.label })}
          </a>
        )}
      </div>
    </section>
  );
}
