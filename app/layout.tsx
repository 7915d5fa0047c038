import type { Metadata, Viewport } from "next";
import { cookies, headers } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { HtmlLang } from "@/components/i18n/html-lang";
import { jaDictionary } from "@/components/i18n/ja-dictionary";
import { ServedLang } from "@/components/i18n/use-t";
import { ChunkLoadNotice } from "@/components/chat/chunk-load";
import { ServedClock } from "@/components/chat/served-clock";
import { preferredLanguages } from "@/lib/http/reader-lang";
import { requestLang } from "./served-title";
import { knownTimeZone, timeLocale } from "@/lib/text/clock";
import { TIME_ZONE_COOKIE } from "@/lib/text/lang-cookie";
import "./globals.css";
// The sign-in, setup and join pages' card, which the 404 page (part of every page's tree) uses too: as a
// stylesheet of its own it was preloaded on every page and not used ("preloaded but not used" warnings).
import "@/components/auth/auth.css";

export const metadata: Metadata = {
  title: { default: "Hibiki", template: "%s · Hibiki" },
  description: "Self-hosted realtime team chat.",
  applicationName: "Hibiki",
  appleWebApp: { capable: true, title: "Hibiki", statusBarStyle: "default" },
  icons: { apple: "/icons/apple-touch-icon.png" },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  // Lets the layout shrink above the phone keyboard instead of being covered by it.
  interactiveWidget: "resizes-content",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#16161a" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: the Content-Security-Policy nonce proxy.ts makes for each response
  // can only be stamped on scripts rendered for that response, never on a prebuilt page.
  await connection();
  // The page speaks the reader's language from its first paint (their choice's cookie, else their
  // Accept-Language), not English until a dictionary's chunk has come: a Japanese page carries the
  // Japanese dictionary (about 10 KB compressed).
  const lang = await requestLang();
  // Times as the browser writes them: its variant of the language and, once it has said it, its time
  // zone (else UTC); the browser's own clock takes over after hydration (format-time.ts's useClock).
  const clock = {
    locale: timeLocale(lang, preferredLanguages((await headers()).get("accept-language"))),
    timeZone: knownTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value) ?? "UTC",
  };
  return (
    <html lang={lang}>
      <body>
        <ServedLang lang={lang} dictionary={lang === "ja" ? jaDictionary : undefined}>
          <ServedClock clock={clock}>
            <HtmlLang />
            {children}
            <ChunkLoadNotice />
          </ServedClock>
        </ServedLang>
      </body>
    </html>
  );
}
