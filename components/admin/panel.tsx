/** One admin section: a titled card. */
import { useId, type ReactNode } from "react";

export function Panel({ title, intro, children }: { title: string; intro?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="admin-panel" aria-labelledby={id}>
      <h2 id={id} className="admin-panel-title">{title}</h2>
      {intro && <p className="muted small">{intro}</p>}
      {children}
    </section>
  );
}
