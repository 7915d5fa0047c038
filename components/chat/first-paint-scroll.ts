/**
 * A room opens at its newest message; in a server-rendered room that should hold from the first paint,
 * not from hydration (which runs usePinnedScroll's layout effect only after the page's JavaScript has
 * loaded, so the reader would first see the page's oldest messages, then a jump). The room page puts
 * this script, with the response's CSP nonce, right after the message list: it runs as soon as the
 * list's markup is parsed (after the render-blocking styles) and scrolls it to the bottom. It is our own
 * constant text; nothing from the request or a message goes into it.
 */
export const SCROLL_TO_NEWEST_SCRIPT =
  'for(var s=document.querySelectorAll(".message-scroller"),i=0;i<s.length;i++)s[i].scrollTop=s[i].scrollHeight;';
