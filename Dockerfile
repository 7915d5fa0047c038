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
# The run-time root file system, distroless style: Node's binary, the shared libraries it and the
# packages' native addons (sharp, argon2) link against (found with ldd, so any architecture works), a
# passwd entry for the unprivileged user, /tmp and /data. No shell, no package manager, no npm.
RUN set -eu; mkdir -p /rootfs/usr/local/bin /rootfs/etc /rootfs/tmp /rootfs/data /rootfs/app; \
    chmod 1777 /rootfs/tmp; chown 1000:1000 /rootfs/data; \
    cp /usr/local/bin/node /rootfs/usr/local/bin/node; \
    for f in /usr/local/bin/node $(find /runtime -name '*.node' -o -name '*.so*' -type f); do ldd "$f"; done \
      | awk '$2 == "=>" && $3 ~ /^\// && $3 !~ /^\/runtime\// {print $3} $1 ~ /^\// {print $1}' | sort -u \
      | while read -r lib; do cp --parents -L "$lib" /rootfs; done; \
    echo 'root:x:0:0:root:/root:/sbin/nologin' > /rootfs/etc/passwd; \
    echo 'node:x:1000:1000:node:/app:/sbin/nologin' >> /rootfs/etc/passwd; \
    printf 'root:x:0:\nnode:x:1000:\n' > /rootfs/etc/group; \
    echo 'hosts: files dns' > /rootfs/etc/nsswitch.conf; \
    /rootfs/usr/local/bin/node --version

FROM scratch AS runtime
COPY --from=build /rootfs /
COPY --from=build /runtime /app
WORKDIR /app
# MALLOC_MMAP_THRESHOLD_ fixed at glibc's default: blocks of 128 KiB and more stay in their own mappings,
# returned to the system when freed. Otherwise freeing one large block (PGlite's 9 MB of WebAssembly)
# raises the threshold, and the compiler's buffers stay resident after use (about 30 MiB idle; see
# docs/operations.md, "Memory").
ENV PATH=/usr/local/bin \
    NODE_ENV=production \
    MALLOC_MMAP_THRESHOLD_=131072 \
    PORT=3000 \
    HOST=0.0.0.0 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data \
    NEXT_TELEMETRY_DISABLED=1
USER 1000:1000
VOLUME /data
EXPOSE 3000
# No shell and no curl in the image; Node 20's fetch does the job.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "start.cjs"]
