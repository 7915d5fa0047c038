"use client";
/**
 * What an address the app has no page for shows (app/not-found.tsx, answered with 404): in the UI's
 * language, with the way back to the chat. Next's own page said "This page could not be found." in
 * English whatever the reader's language.
 */
import { AuthCard } from "@/components/auth/auth-card";
import "@/components/i18n/pages-strings";
import { useT } from "@/components/i18n/use-t";
import { useDocumentTitle } from "@/components/page-title";

export function NotFoundPage() {
  const t = useT();
  useDocumentTitle(t("app.notFoundTitle"));
  return (
    <AuthCard title={t("app.notFoundTitle")}>
      <p>{t("app.notFoundBody")}</p>
      <p className="auth-aside"><a href="/">{t("app.backToChat")}</a></p>
    </AuthCard>
  );
}
