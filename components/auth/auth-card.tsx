/** The frame of the sign-in, setup and join pages: brand, title, a language switch, and the form. */
import type { ReactNode } from "react";
import "@/components/chat/controls.css";
import { LanguageSelect } from "@/components/i18n/language-select";
// auth.css comes with every page (app/layout.tsx): the 404 page uses this card, and Next preloads the
// 404's styles on every page, which Chromium then reported as preloaded and not used.
import { Brand } from "@/components/brand";

export function AuthCard({ title, intro, children }: { title: string; intro?: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-top">
          <Brand />
          <LanguageSelect />
        </div>
        <h1 className="auth-title">{title}</h1>
        {intro && <p className="muted">{intro}</p>}
        {children}
      </div>
    </main>
  );
}
