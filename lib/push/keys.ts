import type { Database } from "../db";
import { getSetting, setSettingOnce } from "../auth/settings";

/** VAPID key pair (RFC 8292), both base64url: the public key is the browser's `applicationServerKey`. */
export type VapidKeys = { publicKey: string; privateKey: string };

const KEY = "vapid_keys";

/**
 * The deployment's VAPID keys: generated on first boot and stored in the database, so every instance
 * signs with the same pair and browsers' subscriptions stay valid across restarts and deploys. Two
 * instances booting at once both try to insert; the first insert wins and both read it back.
 */
export async function ensureVapidKeys(db: Database): Promise<VapidKeys> {
  const stored = await getSetting(db, KEY);
  if (stored) return JSON.parse(stored) as VapidKeys;
  // web-push is loaded here, once per deployment, and by the sender's first push: not at every start.
  const fresh = (require("web-push") as typeof import("web-push")).generateVAPIDKeys();
  await setSettingOnce(db, KEY, JSON.stringify(fresh));
  return JSON.parse((await getSetting(db, KEY))!) as VapidKeys;
}
