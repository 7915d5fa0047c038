# Hibiki: one process, one port (pages, API, SSE, Socket.IO). Data lives in /data (embedded PGlite)
# unless DATABASE_URL points at PostgreSQL.
#
#   docker build -t hibiki .
#   docker run -p 3000:3000 -v hibiki-data:/data hibiki
#
# Install scripts are skipped (--ignore-scripts): the native packages ship prebuilt binaries, and a
# postinstall that downloads something would break offline and reproducible builds.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The build, then only what runs: scripts/runtime-files.mjs traces the server and Next's pages (the way
# Next's "standalone" output does) and copies the packages they reach into /runtime, with a start.cjs.
RUN npm run build && node scripts/runtime-files.mjs /runtime

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
# MALLOC_MMAP_THRESHOLD_ fixed at glibc's default: blocks of 128 KiB and more stay in their own mappings,
# returned to the system when freed. Otherwise freeing one large block (PGlite's 9 MB of WebAssembly)
# raises the threshold, and the compiler's buffers stay resident after use (about 30 MiB idle; see
# docs/operations.md, "Memory").
ENV NODE_ENV=production \
    MALLOC_MMAP_THRESHOLD_=131072 \
    PORT=3000 \
    HOST=0.0.0.0 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data \
    NEXT_TELEMETRY_DISABLED=1
# Nothing at run time installs packages: npm, npx, corepack and yarn leave the image.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && mkdir -p /data && chown node:node /data
COPY --from=build /runtime ./
USER node
VOLUME /data
EXPOSE 3000
# The slim image has no curl; Node 20's fetch does the job.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "start.cjs"]
