import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { HtmlLang } from "@/components/i18n/html-lang";
import "./globals.css";

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
  return (
    <html lang="en">
      <body>
        <HtmlLang />
        {children}
      </body>
    </html>
  );
}
