/** @type {import('next').NextConfig} */
const nextConfig = {
  // server.ts owns HTTP; compression is left to the reverse proxy so Server-Sent Events are never buffered.
  compress: false,
  poweredByHeader: false,
  reactStrictMode: true,
  // Development only: the custom server may be opened as 127.0.0.1 as well as localhost.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
};

export default nextConfig;
