// A minimal Socket.IO v5 client: Engine.IO v4 over a hand-rolled WebSocket on a plain TCP socket.
//
// It exists so that the load generator costs less CPU than the server it measures. Reading uses
// net's `onread` with one static buffer shared by every socket of the process (no Buffer, no string,
// no stream machinery per frame); fan-out deliveries are recognised by scanning the frame bytes for a
// marker, so a delivery costs a few comparisons. Only frames that need it (acks of join/history) are
// decoded and parsed as JSON. Client frames are masked with an all-zero key (RFC 6455 requires a mask;
// the server does not care what it is), so sending is one Buffer write.
//
// Engine.IO / Socket.IO frames used (WebSocket text frames):
//   0{"sid":…,"pingInterval":…}   server → client  Engine.IO open
//   2 / 3                          ping / pong      (the server pings; we answer 3)
//   40{"token":"…"}               client → server  Socket.IO CONNECT to "/" with the handshake auth
//   40{"sid":"…"}                 server → client  connected
//   44{"message":"…"}             server → client  connect_error
//   42["event",…] / 42<id>["event",…]             event (with an ack id)
//   43<id>[…]                                      acknowledgement
import { createHash, randomBytes } from "node:crypto";
import net from "node:net";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** One read buffer for every socket in this process: onread callbacks run one at a time. */
const READ_BUF = Buffer.allocUnsafe(256 * 1024);
const MAX_FRAME = 16 * 1024 * 1024;

export class WireSocket {
  /**
   * @param {string} url  ws://127.0.0.1:<port>/socket.io/?EIO=4&transport=websocket
   * @param {object} auth handshake auth object (Hibiki: { token })
   * @param {(buf: Buffer, start: number, end: number, conn: WireSocket) => void} onEvent
   *        called for every "42…" packet with the bytes after "42" (valid only during the call)
   * @param {{ localAddress?: string }} [opts] localAddress: the loopback source address to connect from
   *        (127.0.0.2, 127.0.0.3, …): each source address has its own ~28,000 ephemeral ports, so tens of
   *        thousands of connections to one server port need several
   */
  constructor(url, auth, onEvent, opts = {}) {
    const u = new URL(url);
    if (u.hostname !== "127.0.0.1") throw new Error(`refusing to contact ${u.hostname}: the bench only talks to 127.0.0.1`);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.path = u.pathname + u.search;
    this.auth = auth;
    this.onEvent = onEvent;
    if (opts.localAddress !== undefined && !/^127\.\d+\.\d+\.\d+$/.test(opts.localAddress)) throw new Error(`source address ${opts.localAddress} is not a loopback address`);
    this.localAddress = opts.localAddress;
    /** Called once when the TCP connection is gone (after open() settled or not), for reconnecting clients. */
    this.onClose = null;
    this.onEngineOpen = null;
    this.sock = null;
    this.upgraded = false;
    this.partial = null; // bytes of an incomplete frame (or HTTP head), copied out of READ_BUF
    this.fragments = null; // a fragmented message being reassembled
    this.nextAck = 0;
    this.pending = new Map(); // ack id → (buf, start, end) => void; called with (null) when the socket closes
    this.connected = false;
    this.closed = false;
  }

  /**
   * Opens the TCP connection, the WebSocket and the Socket.IO session; rejects on connect_error, close or
   * timeout. `timeoutMs` bounds the whole of it, unless `afterOpenMs` is given: then `timeoutMs` bounds
   * only the Engine.IO handshake (socket.io-client's `timeout`, 20 s by default) and `afterOpenMs` the
   * wait for the Socket.IO connect after it (socket.io-client has no limit there; the server's
   * `connectTimeout`, 45 s, closes a connection whose namespace connect takes longer).
   */
  open(timeoutMs = 20_000, { afterOpenMs } = {}) {
    return new Promise((resolve, reject) => {
      let settled = false;
      this.settle = (err) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          this.close();
          reject(err);
        } else resolve(this);
      };
      let timer = setTimeout(() => this.settle(new Error("connect timeout")), timeoutMs);
      if (afterOpenMs !== undefined) {
        this.onEngineOpen = () => {
          clearTimeout(timer);
          timer = setTimeout(() => this.settle(new Error("no Socket.IO connect after the Engine.IO handshake")), afterOpenMs);
        };
      }
      const key = randomBytes(16).toString("base64");
      this.accept = createHash("sha1").update(key + GUID).digest("base64");
      const sock = net.connect({
        host: this.host,
        port: this.port,
        ...(this.localAddress ? { localAddress: this.localAddress } : {}),
        noDelay: true,
        onread: {
          buffer: READ_BUF,
          callback: (n, buf) => {
            this.onData(buf, n);
            return true;
          },
        },
      });
      this.sock = sock;
      sock.on("connect", () => {
        // No Origin header: a non-browser client.
        sock.write(
          `GET ${this.path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      sock.on("error", (err) => this.settle(err));
      sock.on("close", () => {
        if (this.connected && !this.closing) WireSocket.dropped++;
        this.connected = false;
        this.closed = true;
        this.settle(new Error("closed before connect"));
        const waiting = [...this.pending.values()];
        this.pending.clear();
        for (const cb of waiting) cb(null, 0, 0);
        if (this.onClose) this.onClose(this);
      });
    });
  }

  onData(buf, n) {
    let data = buf;
    let start = 0;
    let end = n;
    if (this.partial) {
      data = Buffer.concat([this.partial, buf.subarray(0, n)]);
      end = data.length;
      this.partial = null;
    }
    if (!this.upgraded) {
      const head = data.indexOf("\r\n\r\n", start, "latin1");
      if (head < 0 || head >= end) {
        this.partial = Buffer.from(data.subarray(start, end));
        return;
      }
      const text = data.toString("latin1", start, head);
      if (!text.startsWith("HTTP/1.1 101") || !text.includes(this.accept)) {
        return this.settle(new Error(`WebSocket upgrade refused: ${text.split("\r\n")[0]}`));
      }
      this.upgraded = true;
      start = head + 4;
    }
    while (end - start >= 2) {
      const b0 = data[start];
      const b1 = data[start + 1];
      let len = b1 & 0x7f;
      let hdr = 2;
      if (len === 126) {
        if (end - start < 4) break;
        len = data.readUInt16BE(start + 2);
        hdr = 4;
      } else if (len === 127) {
        if (end - start < 10) break;
        len = data.readUInt32BE(start + 2) * 2 ** 32 + data.readUInt32BE(start + 6);
        hdr = 10;
      }
      if (b1 & 0x80 || len > MAX_FRAME) {
        // Servers never mask; absurd sizes end it.
        WireSocket.lastCloseReason = "bad frame from the server";
        return this.drop();
      }
      if (end - start < hdr + len) break;
      if (WireSocket.tally !== null) tallyFrame(WireSocket.tally, data, start + hdr, start + hdr + len, hdr + len);
      this.onFrame(b0, data, start + hdr, start + hdr + len);
      start += hdr + len;
    }
    if (start < end) this.partial = Buffer.from(data.subarray(start, end));
  }

  onFrame(b0, d, p0, p1) {
    const fin = b0 & 0x80;
    const op = b0 & 0x0f;
    if (op === 0x1 && fin) return this.onPacket(d, p0, p1);
    if (op === 0x1 || op === 0x0) {
      // Fragmented text message (the server does not fragment in practice).
      this.fragments = this.fragments ? Buffer.concat([this.fragments, d.subarray(p0, p1)]) : Buffer.from(d.subarray(p0, p1));
      if (fin) {
        const whole = this.fragments;
        this.fragments = null;
        this.onPacket(whole, 0, whole.length);
      }
      return;
    }
    if (op === 0x9) return this.sendFrame(0x8a, d.subarray(p0, p1)); // ping → pong
    if (op === 0x8) {
      WireSocket.lastCloseReason = d.length >= p0 + 2 ? `${d.readUInt16BE(p0)} ${d.toString("utf8", p0 + 2, p1)}` : "close frame";
      return this.drop();
    }
    // binary (0x2) and pong (0xa): not used
  }

  onPacket(d, p0, p1) {
    const c0 = d[p0];
    if (c0 === 0x34 /* 4: Socket.IO packet */) {
      const c1 = d[p0 + 1];
      if (c1 === 0x32 /* 42 event */) return this.onEvent(d, p0 + 2, p1, this);
      if (c1 === 0x33 /* 43 ack */) {
        let i = p0 + 2;
        let id = 0;
        for (let c = d[i]; c >= 0x30 && c <= 0x39; c = d[++i]) id = id * 10 + (c - 0x30);
        const cb = this.pending.get(id);
        if (cb) {
          this.pending.delete(id);
          cb(d, i, p1);
        }
        return;
      }
      if (c1 === 0x30 /* 40 connected */) {
        this.connected = true;
        return this.settle();
      }
      if (c1 === 0x34 /* 44 connect_error */) {
        let msg = d.toString("utf8", p0 + 2, p1);
        let data;
        try {
          const parsed = JSON.parse(msg);
          msg = parsed.message ?? msg;
          data = parsed.data;
        } catch {}
        // `data` carries the refusal's code (and a connect throttle's `retryAfter`), as socket.io-client's err.data.
        return this.settle(Object.assign(new Error(`connect_error: ${msg}`), { data }));
      }
      if (c1 === 0x31 /* 41 disconnect */) {
        WireSocket.lastCloseReason = "server sent Socket.IO disconnect";
        return this.drop();
      }
      return;
    }
    if (c0 === 0x32 /* 2 ping */) return this.sendText("3");
    if (c0 === 0x30 /* 0 open */) {
      if (this.onEngineOpen) this.onEngineOpen();
      return this.sendText("40" + JSON.stringify(this.auth ?? {}));
    }
    if (c0 === 0x31 /* 1 close */) {
      WireSocket.lastCloseReason = "server sent Engine.IO close";
      return this.drop();
    }
  }

  /** One masked frame (all-zero mask key, so the payload is written as is). */
  sendFrame(b0, payload) {
    const f = maskedFrame(b0, payload.length);
    payload.copy(f, f.length - payload.length);
    this.sock.write(f);
  }

  sendText(str) {
    const len = Buffer.byteLength(str);
    const f = maskedFrame(0x81, len);
    f.write(str, f.length - len);
    this.sock.write(f);
  }

  /** Sends `42<ackId>[event, ...args]`; onAck(buf, start, end) gets the ack's bytes from "[" (buf null if the socket closed). */
  emit(event, args, onAck) {
    return this.emitRaw(JSON.stringify([event, ...args]).slice(1, -1), onAck);
  }

  /** Like emit, with the event and arguments pre-serialised (`"event",{…}` without the brackets). */
  emitRaw(eventAndArgsJson, onAck) {
    if (!this.connected) {
      if (onAck) onAck(null, 0, 0);
      return false;
    }
    let head = "42";
    if (onAck) {
      const id = this.nextAck++;
      this.pending.set(id, onAck);
      head += id;
    }
    this.sendText(head + "[" + eventAndArgsJson + "]");
    return true;
  }

  /** Resolves with the parsed first ack argument. */
  request(event, args, timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${event}: ack timeout`)), timeoutMs);
      this.emit(event, args, (buf, s, e) => {
        clearTimeout(timer);
        if (buf === null) return reject(new Error(`${event}: socket closed`));
        try {
          resolve(JSON.parse(buf.toString("utf8", s, e))[0]);
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  /**
   * Closes with a TCP reset, not a FIN: a client that closes first would otherwise leave its address and
   * port in TIME_WAIT for a minute, and binding to a source address (localAddress) with tens of thousands
   * of its ports in TIME_WAIT slows every later connect from it by orders of magnitude (the bind searches
   * the ports one by one, synchronously).
   */
  close() {
    this.closing = true;
    this.connected = false;
    this.drop();
  }

  /** Ends the TCP connection at once (a reset; see close()): the server closed the session, or broke the protocol. */
  drop() {
    if (!this.sock || this.sock.destroyed) return;
    if (this.sock.connecting || this.sock.readyState === "closed") this.sock.destroy();
    else this.sock.resetAndDestroy();
  }
}

/** Connections that the server (or the network) closed while they were connected, in this process. */
WireSocket.dropped = 0;
/**
 * While not null, every WebSocket frame any socket of this process receives is counted here (see
 * tallyFrame): `{ [name]: { frames, bytes } }`. Off (null) by default: the fan-out hot path pays nothing.
 */
WireSocket.tally = null;
WireSocket.lastCloseReason = null;

/** True when buf[pos…] starts with the ASCII bytes of `ascii`. */
export function bytesAt(buf, pos, ascii) {
  for (let i = 0; i < ascii.length; i++) if (buf[pos + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

export const socketUrl = (httpUrl) => httpUrl.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket";

/** A client frame of `len` payload bytes with its header written (all-zero mask key); the payload goes last. */
function maskedFrame(b0, len) {
  const hdr = len < 126 ? 6 : len < 65536 ? 8 : 14;
  const f = Buffer.allocUnsafe(hdr + len);
  f[0] = b0;
  if (len < 126) f[1] = 0x80 | len;
  else if (len < 65536) {
    f[1] = 0x80 | 126;
    f.writeUInt16BE(len, 2);
  } else {
    f[1] = 0x80 | 127;
    f.writeUInt32BE(Math.floor(len / 2 ** 32), 2);
    f.writeUInt32BE(len >>> 0, 6);
  }
  f.writeUInt32BE(0, hdr - 4);
  return f;
}

/**
 * Counts one received WebSocket frame (`bytes`: header included; payload in d[p0..p1]) under a name:
 * the event name for a Socket.IO event (`42["name",…]`), `(ack)` for an acknowledgement, `(connect)`,
 * `(engine open)`, `(ping)`, `(other)` for the rest (close frames, fragments).
 */
function tallyFrame(tally, d, p0, p1, bytes) {
  let name = "(other)";
  const c0 = d[p0];
  if (c0 === 0x34 && d[p0 + 1] === 0x32) {
    let i = p0 + 2;
    while (i < p1 && d[i] >= 0x30 && d[i] <= 0x39) i++;
    if (d[i] === 0x5b && d[i + 1] === 0x22) {
      const q = d.indexOf(0x22, i + 2);
      if (q > 0 && q < p1) name = d.toString("utf8", i + 2, q);
    }
  } else if (c0 === 0x34 && d[p0 + 1] === 0x33) name = "(ack)";
  else if (c0 === 0x34 && d[p0 + 1] === 0x30) name = "(connect)";
  else if (c0 === 0x30) name = "(engine open)";
  else if (c0 === 0x32 && p1 - p0 === 1) name = "(ping)";
  const t = (tally[name] ??= { frames: 0, bytes: 0 });
  t.frames++;
  t.bytes += bytes;
}
