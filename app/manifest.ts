import type { MetadataRoute } from "next";

/** The web app manifest: what makes Hibiki installable as an app (W3C Web Application Manifest). */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Hibiki",
    short_name: "Hibiki",
    description: "Self-hosted realtime team chat.",
    id: "/rooms",
    start_url: "/rooms",
    scope: "/",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: "#4a4ac0",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
