/** @type {import('next').NextConfig} */
const nextConfig = {
  // server.ts owns HTTP; compression is left to the reverse proxy so Server-Sent Events are never buffered.
  compress: false,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
