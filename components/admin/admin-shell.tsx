"use client";
/**
 * The admin pages' frame: a top bar with the way back to the chat, the other admin page and language.
 * The page's heading takes the focus once it is shown (when nothing else has it): arriving from the other
 * admin page or the chat, the focus is at the page's title, not lost on the document, and Tab goes on into
 * the page.
 */
import { useEffect, useRef, type ReactNode } from "react";
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
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) heading.current?.focus();
  }, []);
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
        <h1 ref={heading} className="admin-title" tabIndex={-1}>{title}</h1>
        {children}
      </main>
    </div>
  );
}
