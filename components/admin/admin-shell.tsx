/** The admin pages' frame: a top bar with the way back to the chat, the other admin page and language. */
import type { ReactNode } from "react";
import "@/components/chat/controls.css";
import { HOME_PATH } from "@/components/auth/next-path";
import { LanguageSelect } from "@/components/i18n/language-select";
import "./admin.css";
import { Brand } from "@/components/brand";

type Props = {
  title: string;
  /** Another page to link to (the other admin page): label and address. */
  other?: { label: string; href: string };
  backLabel: string;
  children: ReactNode;
};

export function AdminShell({ title, other, backLabel, children }: Props) {
  return (
    <div className="admin">
      <header className="admin-bar">
        <Brand />
        <nav className="admin-nav" aria-label={title}>
          <a href={HOME_PATH}>{backLabel}</a>
          {other && <a href={other.href}>{other.label}</a>}
        </nav>
        <LanguageSelect />
      </header>
      <main className="admin-main">
        <h1 className="admin-title">{title}</h1>
        {children}
      </main>
    </div>
  );
}
