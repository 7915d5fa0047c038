"use client";
/** What a page shows while it learns who the user is, or when the server could not be asked. */
import type { Text } from "@/components/i18n/text";
import { useT } from "@/components/i18n/use-t";
import { Brand } from "@/components/brand";

export function SessionSplash({ error, onRetry }: { error?: Text | null; onRetry?(): void }) {
  const t = useT();
  return (
    <div className="splash" role={error ? "alert" : "status"}>
      <Brand />
      {error ? (
        <>
          <span className="muted">{t.text(error)}</span>
          {onRetry && <button type="button" className="button button-secondary" onClick={onRetry}>{t("app.retry")}</button>}
        </>
      ) : (
        <span className="muted">{t("app.loading")}</span>
      )}
    </div>
  );
}
