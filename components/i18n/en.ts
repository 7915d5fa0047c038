/**
 * English UI text, the reference dictionary: its keys are the message keys, and the Japanese dictionary
 * must have every one of them (the type checker enforces it). `{name}` marks a value filled in by `t()`.
 * A text with a number in it has a form per CLDR plural category, `key.one` / `key.other` in English
 * (`key.other` is required; a language has the forms its rules use: Japanese only `other`): `t("key",
 * { count })` picks the form for `count` (see `translate`).
 * Only what the chat page may show on its first render is here: the strings of other pages and of parts
 * fetched later are in `<group>-strings.ts` files, which arrive with the code that uses them (`addEnglish`).
 */
export const en = {
  "app.loading": "Loading…",
  "app.retry": "Try again",
  // Shown when one of the app's own chunks would not load (chunk-load.tsx): in this dictionary, as the
  // chunks that carry other groups' strings may be the ones missing.
  "app.chunkLoadFailed": "Part of Hibiki could not be loaded: the connection may have dropped, or Hibiki was updated. Reload the page to get it.",
  "app.reload": "Reload",

  "status.connected": "Connected",
  "status.connecting": "Connecting…",
  "status.offline": "Offline",
  "status.offlineBecause": "Offline — {reason}",
  "status.reconnect": "Reconnect",
  "conn.other": "Disconnected. Reconnecting…",
  "conn.notLoaded": "The chat could not be loaded. Reload the page.",
  "conn.toServer": "Connecting to the server…",
  "conn.cantPost": "You can't post in this room.",
  "conn.opening": "Opening the room…",


  "user.menu": "Account menu for {name}",
  "user.guest": "guest",

  "rooms.nav": "Rooms",
  "rooms.sidebar": "Rooms and account",
  "rooms.rooms": "Rooms",
  "rooms.dms": "Direct messages",
  "rooms.archived": "Archived",
  "rooms.leftRooms": "Rooms you left",
  "rooms.private": "private",
  "rooms.dm": "direct message",
  "rooms.unreadCount": "{n} unread",
  "rooms.mentionCount.one": "{count} mention",
  "rooms.mentionCount.other": "{count} mentions",
  "rooms.muted": "muted",
  "rooms.onlineCount": "{n} here",
  "rooms.onlineTitle": "{n} here now (people with the room open)",
  "rooms.openMenu": "Open rooms menu",
  "rooms.openMenuWaiting.one": "Open rooms menu ({count} room with unread messages)",
  "rooms.openMenuWaiting.other": "Open rooms menu ({count} rooms with unread messages)",
  "rooms.openMenuMentions.one": "Open rooms menu ({count} room with unread messages, with mentions)",
  "rooms.openMenuMentions.other": "Open rooms menu ({count} rooms with unread messages, with mentions)",
  "rooms.closeMenu": "Close rooms menu",
  "rooms.new": "New room",

  "dm.new": "New message",

  "room.titlePrivate": "{room} (private)",
  "room.membersToggle": "Members",
  "room.couldNotOpen": "{room} could not be opened.",
  "room.membersOnly": "Only its members can open it: ask one of them to add you.",
  "room.dmCouldNotOpen": "This conversation could not be opened.",
  "room.dmOthers": "This is a direct message between other people, or none at all: only its two members can open it.",
  "room.dmNotStarted": "This conversation has no messages yet.",
  "room.dmStart": "To start it, choose “{action}” in the sidebar and enter the person's name.",
  "room.missingTitle": "Room not found",
  "room.takenTitle": "Room unavailable",
  "room.loading": "Loading messages…",
  "room.messagesIn": "Messages in {room}",
  "room.loadOlder": "Load older messages",
  "room.loadingOlder": "Loading older messages…",
  "room.loadNewer": "Show newer messages",
  "room.loadingNewer": "Loading newer messages…",
  "room.missing": "Some messages could not be loaded.",
  "room.loadMissing": "Load missing messages",
  "room.loadingMissing": "Loading missing messages…",
  "room.missingLoaded": "The missing messages were loaded.",
  "room.notFound": "That message is no longer in {room}.",
  "room.archived": "This room is archived: you can read it, but nobody can post or change anything in it.",
  "room.welcome": "Welcome to {room}.",
  "room.beginning": "This is the very beginning of the room.",
  "room.beginningPrivate": "This is the very beginning of the room. It is private: only its members can read it or find its messages.",
  "room.dmBeginning": "This is the beginning of your direct messages with {name}.",
  "room.newMessages": "New messages",
  "room.newSince": "New",

  "members.panel": "Members",
  "members.close": "Close members",

  "composer.form": "Send a message to {room}",
  "composer.label": "Message {room}",
  "composer.blocked": "You can't send messages right now",
  "composer.send": "Send message",

  "day.today": "Today",
  "day.yesterday": "Yesterday",
  "keys.skip": "Skip to the conversation",
  "upload.attach": "Attach files",

  "search.open": "Search messages (/)",
  "search.label": "Search messages",
  "message.edited": "(edited)",
  "message.guest": "guest",
  "message.bot": "bot",
  "message.footnotes": "Footnotes",
  "message.footnoteBack": "Back to reference {reference}",
  "message.wideTable": "Table, scrolls sideways",
  "message.linkGoesTo": "(goes to {host})",
  "message.task": "Task",
  "message.deleted": "message deleted",
  "message.reactedBy": "{users} reacted with {emoji}",
  "message.reactedByMore": "{users} and {more} more reacted with {emoji}",
  "message.reaction": "{emoji} {count}: {users}",
  "message.reactionMore": "{emoji} {count}: {users} and {more} more",
  "message.changeFailed": "Not changed: {reason}",
  "thread.open.one": "{count} reply",
  "thread.open.other": "{count} replies",
  "thread.new": "new",
  "message.files.one": "attachment {names}",
  "message.files.other": "{count} attachments: {names}",
} as const;

export type MessageKey = keyof typeof en;
