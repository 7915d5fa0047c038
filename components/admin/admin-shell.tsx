"use client";
/**
 * The admin and settings pages' frame: a skip link to the page's main landmark, then a top bar with the
 * way back to the chat, the other admin page and language.
 * The page's heading takes the focus once it is shown (when nothing else has it): arriving from the other
 * admin page or the chat, the focus is at the page's title, not lost on the document, and Tab goes on into
 * the page.
 */
import { useEffect, useRef, type ReactNode } from "react";
import "@/components/chat/controls.css";
import { useChatHomePath } from "@/components/chat/home-path";
import "@/components/i18n/keys-strings";
import { LanguageSelect } from "@/components/i18n/language-select";
import { useT } from "@/components/i18n/use-t";
import { SkipLink } from "@/components/skip-link";
import "./admin.css";
import { Brand } from "@/components/brand";

type Props = {
  title: string;
  /** Another page to link to (the other admin page): label and address. */
  other?: { label: string; href: string };
  backLabel: string;
  children: ReactNode;
};

/** The id of the pages' main landmark, the skip link's target. */
const MAIN = "main";

/**
 * How the title takes the focus when a page opens: without a focus ring. Nothing can tell yet whether a
 * mouse or a keyboard brought the person here (a new document), and Chromium then draws the ring for a
 * script's focus, around the whole title, for everyone. The title is where the page starts, not a
 * control, and no page's start shows a ring: the first Tab from it reaches a control, which shows its
 * own (:focus-visible). `focusVisible` (HTML FocusOptions; Chromium and Firefox) is not in TypeScript's
 * DOM types yet; a browser without it draws the ring as before.
 */
const TITLE_FOCUS = { focusVisible: false } as FocusOptions;

export function AdminShell({ title, other, backLabel, children }: Props) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  const home = useChatHomePath();
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) heading.current?.focus(TITLE_FOCUS);
  }, []);
  return (
    <div className="admin">
      <SkipLink target={MAIN} label={t("keys.skipMain")} />
      <header className="admin-bar">
        <Brand />
        <nav className="admin-nav" aria-label={title}>
          <a href={home}>{backLabel}</a>
          {other && <a href={other.href}>{other.label}</a>}
        </nav>
        <LanguageSelect />
      </header>
      <main className="admin-main" id={MAIN} tabIndex={-1}>
        <h1 ref={heading} className="admin-title" tabIndex={-1}>{title}</h1>
        {children}
      </main>
    </div>
  );
}
