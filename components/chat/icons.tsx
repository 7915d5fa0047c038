/** Small inline icons (decorative: every control that uses one also has a text or aria-label name). */
import type { ReactNode } from "react";

function Icon({ children, size = 18 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2}
      strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" className="icon"
    >
      {children}
    </svg>
  );
}

export const HashIcon = () => (
  <Icon size={16}><path d="M4 9h16M4 15h16M10 3 8 21M16 3l-2 18" /></Icon>
);
export const LockIcon = () => (
  <Icon size={16}><rect x="4" y="11" width="16" height="10" rx="2" /><path d="M8 11V7a4 4 0 0 1 8 0v4" /></Icon>
);
export const AtIcon = () => (
  <Icon size={16}><circle cx="12" cy="12" r="4" /><path d="M16 8v5a3 3 0 0 0 6 0v-1a10 10 0 1 0-4 8" /></Icon>
);
export const MenuIcon = () => (
  <Icon><path d="M4 6h16M4 12h16M4 18h16" /></Icon>
);
export const UsersIcon = () => (
  <Icon>
    <path d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2" /><circle cx="9" cy="7" r="4" />
    <path d="M22 21v-2a4 4 0 0 0-3-3.87M16 3.13a4 4 0 0 1 0 7.75" />
  </Icon>
);
export const SendIcon = () => (
  <Icon><path d="m22 2-7 20-4-9-9-4Z" /><path d="M22 2 11 13" /></Icon>
);
export const PlusIcon = () => (
  <Icon size={16}><path d="M12 5v14M5 12h14" /></Icon>
);
export const ArrowDownIcon = () => (
  <Icon size={16}><path d="M12 5v14M19 12l-7 7-7-7" /></Icon>
);
/** Reconnect, where its word does not fit (a phone's room header). */
export const RefreshIcon = () => (
  <Icon><path d="M21 12a9 9 0 1 1-9-9c2.52 0 4.93 1 6.74 2.74L21 8" /><path d="M21 3v5h-5" /></Icon>
);
export const CloseIcon = () => (
  <Icon><path d="M18 6 6 18M6 6l12 12" /></Icon>
);
export const PaperclipIcon = () => (
  <Icon><path d="m21.44 11.05-9.19 9.19a6 6 0 0 1-8.49-8.49l8.57-8.57A4 4 0 1 1 18 8.84l-8.59 8.57a2 2 0 0 1-2.83-2.83l8.49-8.48" /></Icon>
);

export const SearchIcon = () => (
  <Icon>
    <circle cx="11" cy="11" r="7" />
    <path d="m20 20-3.5-3.5" />
  </Icon>
);

// The message action row's words, as icons where it is compact (messages.css, "Changes of a stored message").
export const ReplyIcon = () => (
  <Icon size={16}><path d="m9 17-5-5 5-5" /><path d="M20 18v-2a4 4 0 0 0-4-4H4" /></Icon>
);
export const LinkIcon = () => (
  <Icon size={16}>
    <path d="M10 13a5 5 0 0 0 7.54.54l3-3a5 5 0 0 0-7.07-7.07l-1.72 1.71" />
    <path d="M14 11a5 5 0 0 0-7.54-.54l-3 3a5 5 0 0 0 7.07 7.07l1.71-1.71" />
  </Icon>
);
export const PencilIcon = () => (
  <Icon size={16}><path d="M17 3a2.85 2.85 0 1 1 4 4L7.5 20.5 2 22l1.5-5.5Z" /></Icon>
);
export const TrashIcon = () => (
  <Icon size={16}><path d="M3 6h18M19 6v14a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V6M8 6V4a2 2 0 0 1 2-2h4a2 2 0 0 1 2 2v2" /></Icon>
);
export const SmilePlusIcon = () => (
  <Icon size={16}>
    <path d="M22 11v1a10 10 0 1 1-9-10" /><path d="M8 14s1.5 2 4 2 4-2 4-2" />
    <path d="M9 9h.01M15 9h.01M16 5h6M19 2v6" />
  </Icon>
);
