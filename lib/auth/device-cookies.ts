import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Queryable } from "../db";
import { getSetting, setSettingOnce } from "./settings";

/**
 * Device cookies, after OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a browser that
 * signed in to an account carries a cookie naming that account (its user id, not its name: a name can
 * change hands, and a cookie got under a name must never vouch for whoever takes it next), signed by the
 * server.
 * Its sign-ins are counted against that device (`sign-in-fails-device`), not against the account
 * (`sign-in-fails-name`), so the wrong passwords of a guesser spread over many addresses lock the
 * account for untrusted clients only: its owner's own browser still gets in.
 *
 * The value is `<nonce>.<mac>`: 16 random bytes and HMAC-SHA-256 over `<user id>|<nonce>` with a secret
 * made once per installation (the `device_cookie_secret` setting, shared by every instance), both
 * base64url. It names no one: the user id is only in the MAC.
 */
export const DEVICE_COOKIE = "hibiki_device";
/** How long a device stays known after its last sign-in, in seconds (a year). */
export const DEVICE_COOKIE_MAX_AGE_S = 365 * 86_400;
const SECRET_SETTING = "device_cookie_secret";

export type DeviceCookies = {
  /** A new cookie value for a browser that just signed in to the account with id `userId`. */
  issue(userId: string): Promise<string>;
  /**
   * The device id (its nonce) when `value` is a cookie this installation issued for the account whose
   * name has the key `nameKey` now; null for anything else (absent, malformed, another account's, one
   * issued to a former holder of the name, forged). Reads the database only for a well-formed value.
   */
  verify(value: string | undefined, nameKey: string): Promise<string | null>;
};

/** Device cookies signed with this installation's secret (made on first use, read once per process). */
export function deviceCookies(db: Queryable): DeviceCookies {
  let secret: Promise<Buffer> | undefined;
  const key = (): Promise<Buffer> => {
    secret ??= (async () => {
      // The first of racing instances wins; every one then reads the same value.
      await setSettingOnce(db, SECRET_SETTING, randomBytes(32).toString("base64url"));
      return Buffer.from((await getSetting(db, SECRET_SETTING))!, "base64url");
    })();
    // A failure (the database away) is not remembered: the next sign-in asks again.
    secret.catch(() => (secret = undefined));
    return secret;
  };
  const mac = async (userId: string, nonce: string) => createHmac("sha256", await key()).update(`${userId}|${nonce}`).digest();
  return {
    async issue(userId) {
      const nonce = randomBytes(16).toString("base64url");
      return `${nonce}.${(await mac(userId, nonce)).toString("base64url")}`;
    },
    async verify(value, nameKey) {
      const m = typeof value === "string" ? /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
      if (!m || !nameKey) return null;
      // The account that has the name now (an account, not a guest or a bot: only accounts sign in).
      const [account] = await db.query<{ id: string }>("select id::text as id from users where name_key = $1 and kind = 'user'", [nameKey]);
      if (!account) return null;
      const given = Buffer.from(m[2], "base64url");
      const expected = await mac(account.id, m[1]);
      return given.length === expected.length && timingSafeEqual(given, expected) ? m[1] : null;
    },
  };
}
