/** Who is in the room, online people first. */
import type { Member } from "./chat-types";
import { nameHue } from "./message-rows";
import type { CSSProperties } from "react";

type Props = { members: readonly Member[]; me?: string | null };

export function MemberList({ members, me }: Props) {
  const sorted = [...members].sort(
    (a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name),
  );
  const online = members.filter((m) => m.online).length;
  return (
    <section className="member-list" aria-labelledby="member-list-title">
      <h2 id="member-list-title" className="panel-title">
        Members <span className="panel-count">{online} online</span>
      </h2>
      {sorted.length === 0 ? (
        <p className="muted">Nobody is here yet.</p>
      ) : (
        <ul>
          {sorted.map((m) => (
            <li key={m.name} className="member" data-online={m.online}>
              <span className="avatar avatar-small" style={{ "--avatar-hue": nameHue(m.name) } as CSSProperties} aria-hidden="true">
                {Array.from(m.name)[0]?.toUpperCase()}
                <span className="presence-dot" />
              </span>
              <span className="member-name">{m.name}</span>
              {m.name === me && <span className="muted">(you)</span>}
              <span className="visually-hidden">{m.online ? ", online" : ", offline"}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
