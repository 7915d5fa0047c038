"use client";
/** The guest access switch. It flips at once and flips back if the server refuses. */
import "@/components/i18n/admin-strings";
import { errorText } from "@/components/auth/error-text";
import { useT } from "@/components/i18n/use-t";
import { getSettings, putSettings } from "./admin-api";
import { Panel } from "./panel";
import { useAdminData } from "./use-admin-data";

export function GuestAccessPanel() {
  const t = useT();
  const { data, setData, error, setError } = useAdminData(getSettings);

  async function change(guestAccess: boolean) {
    const before = data;
    setData({ guestAccess });
    setError(null);
    try {
      setData(await putSettings({ guestAccess }));
    } catch (err) {
      setData(before);
      setError(errorText(err));
    }
  }

  return (
    <Panel title={t("guests.title")}>
      <label className="checkbox switch">
        <input
          type="checkbox" role="switch" checked={data?.guestAccess ?? false} disabled={!data}
          onChange={(e) => void change(e.target.checked)}
        />
        {t("guests.label")}
      </label>
      {data && <p className="muted small">{data.guestAccess ? t("guests.on") : t("guests.off")}</p>}
      {error && <p className="field-error" role="alert">{t.text(error)}</p>}
    </Panel>
  );
}
