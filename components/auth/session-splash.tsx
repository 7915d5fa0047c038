"use client";
/** What a page shows while it learns who the user is, or when the server could not be asked. */
import { useT } from "@/components/i18n/use-t";
import { Brand } from "@/components/brand";

export function SessionSplash({ error, onRetry }: { error?: string | null; onRetry?(): void }) {
  const t = useT();
  return (
    <div className="splash" role={error ? "alert" : "status"}>
      <Brand />
      {error ? (
        <>
          <span className="muted">{t("app.sessionFailed", { reason: error })}</span>
          {onRetry && <button type="button" className="button button-secondary" onClick={onRetry}>{t("app.retry")}</button>}
        </>
      ) : (
        <span className="muted">{t("app.loading")}</span>
      )}
    </div>
  );
}
