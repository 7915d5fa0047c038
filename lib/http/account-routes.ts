import { Router } from "express";
import type { Database } from "../db";
import type { Identify } from "../auth/identify";
import { changePassword, renameAccount } from "../auth/account-settings";
import { endOtherSessions } from "../auth/sessions";
import type { Limits } from "../limits";
import { identityOf, requireUser } from "./guards";
import { nameSchema, parseBody, passwordChangeSchema } from "./schemas";
import { normalizeDisplayName } from "../chat/names";
import { dmPartnerIds } from "../chat/rooms";

export type AccountRouteDeps = {
  db: Database;
  identify: Identify;
  /** Password checks are costly (argon2) and guessable: the `password-change` row, per account. */
  limits: Limits;
  /** A session ended: its sockets and streams close on every instance. */
  onSessionEnded: (sessionId: string) => void;
  /** The account's name changed: its live connections (which cache the name) close and reconnect. */
  onRenamed: (userId: string) => void;
  /** A guest handed its name over to a renamed account: its connections close on every instance. */
  onRightsRevoked: (userId: string) => void;
  /** These users' room lists changed (their DMs are titled with a renamed account's name). */
  onRoomsChanged?: (userIds: string[]) => void;
  /** NAME_HOLD_SECONDS, in ms: how long a name given up stays the account's (renameUser); unset: 30 days. */
  nameHoldMs?: number;
};

/**
 * The signed-in person's own account: `PUT /api/account/password` `{ current, password }` → 204 (other
 * sessions end), `DELETE /api/account/sessions` → `{ ended }` (signs out every other browser),
 * `PUT /api/account/name` `{ name }` → `{ name, changed }` (`409` when taken or a look-alike is, or held
 * for the account that gave it up; the old name is held for this one, NAME_HOLD_SECONDS; the
 * account's own name, as the name rules write it, is `changed: false` and changes nothing).
 */
export function accountRoutes(deps: AccountRouteDeps): Router {
  const r = Router();
  const user = requireUser(deps.identify);

  r.put("/account/password", user, async (req, res) => {
    const { user: me, session } = identityOf(res);
    await deps.limits.take("password-change", me.id);
    const ended = await changePassword(deps.db, me, { ...parseBody(passwordChangeSchema, req), keepSession: session?.id });
    ended.forEach(deps.onSessionEnded);
    res.status(204).end();
  });

  r.put("/account/name", user, async (req, res) => {
    const { user: me } = identityOf(res);
    const wanted = parseBody(nameSchema, req).name;
    // The name it has already (as the name rules write it): nothing to do, nobody reconnects, no point taken.
    if (normalizeDisplayName(wanted) === me.name) return void res.json({ name: me.name, changed: false });
    await deps.limits.take("rename", me.id);
    const { name, retiredGuestIds } = await renameAccount(deps.db, me, wanted, deps.nameHoldMs);
    deps.onRenamed(me.id);
    for (const id of retiredGuestIds) deps.onRightsRevoked(id);
    // Their DMs with this person are titled by the name: their lists say the new one now, not at their next list.
    const partners = await dmPartnerIds(deps.db, me.id);
    if (partners.length > 0) deps.onRoomsChanged?.(partners);
    res.json({ name, changed: true });
  });

  r.delete("/account/sessions", user, async (_req, res) => {
    const { user: me, session } = identityOf(res);
    const ended = await endOtherSessions(deps.db, me.id, session?.id);
    ended.forEach(deps.onSessionEnded);
    res.json({ ended: ended.length });
  });

  return r;
}
