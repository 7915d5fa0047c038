/** A window event fired after a level changed, so the unread badge, the room list and other views follow. */
export const LEVELS_CHANGED = "hibiki:levels-changed";
