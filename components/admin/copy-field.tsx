"use client";
/**
 * A read-only value with a Copy button. The clipboard API needs a secure context (https or localhost);
 * elsewhere the text is selected so the user can copy it by hand.
 */
import "@/components/i18n/admin-strings";
import { useId, useRef, useState } from "react";
import { useT } from "@/components/i18n/use-t";

export function CopyField({ label, value }: { label: string; value: string }) {
  const t = useT();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  // What was copied: "Copied" speaks of that value only, and goes once the field holds another (a join
  // link rotated after copying left "Copied" under the new link, the clipboard holding the old one).
  const [status, setStatus] = useState<{ state: "idle" | "copied" | "manual"; value: string }>({ state: "idle", value });
  const state = status.value === value ? status.state : "idle";
  const setState = (next: "idle" | "copied" | "manual") => setStatus({ state: next, value });

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      input.current?.select();
      setState("manual");
    }
  }

  return (
    <div className="field">
      <label htmlFor={id} className="field-label">{label}</label>
      <div className="inline-field">
        <input ref={input} id={id} className="input mono" value={value} readOnly onFocus={(e) => e.target.select()} />
        <button type="button" className="button button-secondary button-small" onClick={() => void copy()}>
          {t("app.copy")}
        </button>
      </div>
      <p className="muted small" role="status">
        {state === "copied" ? t("app.copied") : state === "manual" ? t("app.copyManually") : ""}
      </p>
    </div>
  );
}
