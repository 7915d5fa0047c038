/** @type {import('next').NextConfig} */
const nextConfig = {
  // Pages and their scripts go out gzip-compressed to a client that accepts it, so the first load costs the
  // bytes it is measured in even without a reverse proxy. Only Next's own responses are compressed: the
  // API, uploads and the Server-Sent Events stream are Express's (server.ts), which never buffers them.
  compress: true,
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    // Unused exports of CommonJS modules are dropped from the browser's bundles, as Turbopack already does
    // for ES modules. The framework's own files are CommonJS: react-dom's top-level functions that nothing
    // calls in the browser (flushSync, preload, preinit …) go, -0.6 KB gzip on every page's first load.
    // Experimental in Next.js 16.4: the browser tests (tests/e2e) run on it; drop this line should a
    // Next.js update make it misbehave.
    turbopackCjsTreeShaking: true,
  },
  // Development only: the custom server may be opened as 127.0.0.1 as well as localhost.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  // The full emoji picker's data (scripts/emoji-data.mjs): its path names the data's version, so a
  // browser keeps it for good.
  async headers() {
    return [{ source: "/emoji-data/:path*", headers: [{ key: "Cache-Control", value: "public, max-age=31536000, immutable" }] }];
  },
};

export default nextConfig;
