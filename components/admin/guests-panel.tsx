"use client";
/**
 * The guests seen most recently (GET /api/admin/guests), with when each first came and was last seen, and
 * a Ban button that asks first (ConfirmInline: Esc or Cancel answers no), as deactivating an account does;
 * a banned guest's name can be given back (Lift ban, which takes nothing away and does not ask). The
 * row's button has the focus back once the question is answered, and keeps it through the request.
 * Guests come while the page is open: Refresh loads the list again and says how many are listed, and
 * coming back to the tab (visibilitychange to visible) loads it again quietly.
 */
import "@/components/i18n/admin-strings";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "@/components/auth/api";
import { errorText } from "@/components/auth/error-text";
import { formatFull, useClock } from "@/components/chat/format-time";
import { focusReturns } from "@/components/chat/keep-focus";
import { useT } from "@/components/i18n/use-t";
import { listGuests, setGuestActive, type AdminGuest } from "./admin-api";
import { Panel } from "./panel";
import { RowAction } from "./row-action";
import { useAdminData } from "./use-admin-data";

export function GuestsPanel() {
  const t = useT();
  const clock = useClock();
  const { data, setData, error, setError } = useAdminData(listGuests);
  const [busy, setBusy] = useState<string | null>(null);
  /** The guest whose ban is being asked about. */
  const [asking, setAsking] = useState<string | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const returns = useRef(focusReturns());
  const guests = data?.guests;
  const [refreshing, setRefreshing] = useState(false);
  // The count after each Refresh is a new node in the status region, so the same count is said again.
  const [said, setSaid] = useState<{ count: number; n: number } | null>(null);
  /** Only the latest load's answer is shown (a Refresh and a return to the tab may overlap). */
  const latest = useRef(0);

  /** Loads the list again; `say`: the count is announced (a Refresh), otherwise the old count is taken away. */
  const refresh = useCallback(async (say: boolean) => {
    const mine = ++latest.current;
    if (say) setRefreshing(true);
    try {
      const next = await listGuests();
      if (mine !== latest.current) return;
      setData(next);
      setError(null);
      setSaid((s) => (say ? { count: next.guests.length, n: (s?.n ?? 0) + 1 } : null));
    } catch (err) {
      if (mine === latest.current) setError(errorText(err));
    } finally {
      if (say) setRefreshing(false);
    }
  }, [setData, setError]);

  useEffect(() => {
    const onVisible = () => document.visibilityState === "visible" && void refresh(false);
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [refresh]);

  async function toggle(guest: AdminGuest) {
    setAsking(null);
    setBusy(guest.name);
    setError(null);
    try {
      const { user } = await setGuestActive(guest.name, guest.deactivated);
      setData((d) => d && { guests: d.guests.map((g) => (g.name === guest.name ? { ...g, deactivated: user.deactivated } : g)) });
    } catch (err) {
      setError(errorText(err));
      // An account has the name now (it took it since the list was read): the row is no guest's any more.
      if (err instanceof ApiError && err.reason === "not_a_guest") setData((d) => d && { guests: d.guests.filter((g) => g.name !== guest.name) });
    } finally {
      setBusy(null);
      requestAnimationFrame(() => buttons.current.get(guest.name)?.focus());
    }
  }

  const when = (iso: string) => <time dateTime={iso}>{formatFull(iso, clock)}</time>;
  return (
    <Panel title={t("guests.list")}>
      {error && <p className="field-error" role="alert">{t.text(error)}</p>}
      {!guests ? (
        !error && <p className="muted" role="status">{t("app.loading")}</p>
      ) : guests.length === 0 ? (
        <p className="muted">{t("guests.none")}</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t("users.name")}</th>
                <th scope="col">{t("guests.came")}</th>
                <th scope="col">{t("guests.lastSeen")}</th>
                <th scope="col">{t("users.state")}</th>
                <th scope="col"><span className="visually-hidden">{t("users.actions")}</span></th>
              </tr>
            </thead>
            <tbody>
              {guests.map((g) => (
                <tr key={g.name} data-deactivated={g.deactivated || undefined}>
                  <th scope="row" className="user-name"><bdi>{g.name}</bdi></th>
                  <td>{when(g.since)}</td>
                  <td>{when(g.lastSeen)}</td>
                  <td><span className="pill" data-state={g.deactivated ? "off" : "on"}>{g.deactivated ? t("guests.banned") : t("users.active")}</span></td>
                  <td className="row-actions">
                    <RowAction
                      id={g.name} asking={asking} setAsking={setAsking} buttons={buttons.current} returns={returns.current} busy={busy === g.name}
                      text={g.deactivated ? t("guests.unban") : t("guests.ban")}
                      label={t.label(g.deactivated ? "guests.unbanLabel" : "guests.banLabel", { name: g.name })}
                      question={g.deactivated ? undefined : t("guests.confirmBan", { name: g.name })}
                      questionLabel={t.label("guests.confirmBan", { name: g.name })}
                      onConfirm={() => void toggle(g)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="panel-actions">
        {/* aria-disabled, not disabled, while loading: a disabled button loses the focus (to the page). */}
        <button
          type="button" className="button button-secondary button-small" aria-disabled={refreshing || undefined} aria-label={t.label("guests.refreshLabel")}
          onClick={() => refreshing || void refresh(true)}
        >
          {t("guests.refresh")}
        </button>
        <p className="muted small" role="status">{said && <span key={said.n}>{t("guests.count", { count: said.count })}</span>}</p>
      </div>
    </Panel>
  );
}
