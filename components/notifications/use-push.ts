"use client";
/** Web Push for the settings page: what the browser allows, whether this browser is subscribed, and the actions. */
import { useCallback, useEffect, useState } from "react";
import { errorText } from "@/components/auth/error-text";
import "@/components/i18n/settings-strings";
import { text, type Text } from "@/components/i18n/text";
import { currentSubscription, PushServiceError, pushSupported, sendTestPush, subscribePush, unsubscribePush } from "./push-client";

export type PushState = {
  /** False where the browser has no Web Push (then nothing else applies). */
  supported: boolean;
  permission: NotificationPermission | "unsupported";
  subscribed: boolean;
  busy: boolean;
  /** What went wrong last, in the UI's words (errorText). */
  error: Text | null;
  /** Set after a test push was queued. */
  tested: boolean;
  enable(): Promise<void>;
  disable(): Promise<void>;
  test(): Promise<void>;
};

export function usePush(): PushState {
  const [supported] = useState(pushSupported);
  const [permission, setPermission] = useState<PushState["permission"]>(() => (supported ? Notification.permission : "unsupported"));
  const [subscribed, setSubscribed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Text | null>(null);
  const [tested, setTested] = useState(false);

  useEffect(() => {
    if (!supported) return;
    let live = true;
    currentSubscription().then((s) => live && setSubscribed(!!s), () => undefined);
    return () => {
      live = false;
    };
  }, [supported]);

  const run = useCallback(async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof PushServiceError ? text("settings.push.serviceFailed") : errorText(err));
    } finally {
      setBusy(false);
    }
  }, []);

  const enable = useCallback(
    () =>
      run(async () => {
        const p = await subscribePush();
        setPermission(p);
        setSubscribed(p === "granted");
      }),
    [run],
  );
  const disable = useCallback(() => run(async () => (await unsubscribePush(), setSubscribed(false))), [run]);
  const test = useCallback(() => run(async () => (await sendTestPush(), setTested(true))), [run]);
  return { supported, permission, subscribed, busy, error, tested, enable, disable, test };
}
