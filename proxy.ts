/**
 * Security headers for pages (Next 16's proxy, formerly middleware). Each page response gets a fresh
 * nonce and a Content-Security-Policy allowing only scripts carrying it (plus what they load, through
 * 'strict-dynamic'): injected markup cannot run script even if it ever reached the page.
 *
 * Next finds the nonce in the CSP *request* header and stamps it on its own scripts while rendering,
 * which is why every page renders per request (app/layout.tsx awaits `connection()`). API routes,
 * Socket.IO and static assets never reach this (server.ts answers them before Next, and the matcher
 * skips them): they carry no HTML to protect.
 */
import { NextResponse, type NextRequest } from "next/server";

function makeNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // React's development build uses eval for its debugging aids; production never needs it.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes carry per-person avatar colours; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // Socket.IO upgrades to a WebSocket on this same host.
    "connect-src 'self' ws: wss:",
    // The service worker (public/sw.js) and the manifest come from this origin only.
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = makeNonce();
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("Referrer-Policy", "same-origin");
  response.headers.set("X-Content-Type-Options", "nosniff");
  return response;
}

export const config = {
  matcher: [
    {
      // Every page request, prefetches too: a request carrying `Purpose: prefetch` or
      // `Next-Router-Prefetch` (anyone can send them) got the whole page, signed in, without a policy (an
      // outside trial). A nonce per prefetch costs next to nothing.
      source: "/((?!api|socket.io|_next/static|_next/image|favicon.ico|icon.svg|icons/|emoji-data/|sw.js|manifest.webmanifest).*)",
    },
  ],
};
