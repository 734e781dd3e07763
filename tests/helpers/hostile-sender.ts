// A fake sender that attacks the receiver: HTTP and WebSocket spoken by hand over a raw TCP
// listener, so that it can do what no honest server library would. The first path segment of
// the sender's URL picks the attack: http://127.0.0.1:PORT/<mode> (the receiver asks
// /<mode>/api/v1/ws). Counters per mode tell a test what the receiver let it do.

import { deflateRawSync, gzipSync } from "node:zlib";
import type { Socket, TCPSocketListener } from "bun";

export const HOSTILE_MODES = [
  /** Answers a request with a text frame that declares 120 MB, then streams it. */
  "oversized",
  /** The same 120 MB as 8 KiB fragments: no single frame is large. */
  "fragments",
  /** 800 KB of nested arrays: under the size cap, but a parser's worst case. */
  "nested",
  /** 900 KB of valid JSON with 150 000 cores: under the size cap, over the schema's. */
  "wide",
  /** Turns on permessage-deflate unasked and sends 120 MB of zeros as 120 KB of deflate. */
  "bomb",
  /** Redirects the upgrade to another port on the receiver's side of the network. */
  "redirect",
  /** Refuses with 401 and a 100 MB gzip bomb as the body. */
  "gzip-401",
  /** Refuses with 429 and Retry-After, as a sender does after too many wrong tokens. */
  "throttled",
  /** Answers with errors and a hostname full of ANSI, bidi and zero-width characters. */
  "escapes",
  /** Upgrades, then never answers (a frozen process, a dead NAT). */
  "silent",
] as const;
export type HostileMode = (typeof HOSTILE_MODES)[number];

export interface ModeStats {
  connections: number;
  requests: number;
  /** Payload bytes the fake sender managed to hand to the kernel. */
  bytesWritten: number;
  /** Connections that ended (either side). */
  closes: number;
  pongs: number;
}

export interface HostileSender {
  port: number;
  url(mode: HostileMode): string;
  stats(mode: HostileMode): ModeStats;
  /** A listener the redirect points at: it counts who comes (nobody should). */
  redirectTargetConnections(): number;
  stop(): void;
}

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const BIG_BYTES = 120 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "x".charCodeAt(0));

interface Conn {
  mode: HostileMode | null;
  head: string;
  upgraded: boolean;
  inbox: Buffer;
  /** Bytes still to stream (oversized, fragments), written as the socket drains. */
  streaming: { left: number; fragment: number; first: boolean } | null;
}

function frameHeader(opcode: number, length: number, fin = true, rsv1 = false): Buffer {
  const b0 = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
  if (length < 126) return Buffer.from([b0, length]);
  if (length < 65_536) {
    const head = Buffer.alloc(4);
    head[0] = b0;
    head[1] = 126;
    head.writeUInt16BE(length, 2);
    return head;
  }
  const head = Buffer.alloc(10);
  head[0] = b0;
  head[1] = 127;
  head.writeBigUInt64BE(BigInt(length), 2);
  return head;
}

const textFrame = (text: string) => {
  const body = Buffer.from(text);
  return Buffer.concat([frameHeader(1, body.length), body]);
};

/** The masked frames a client sent: their text, and how many bytes were used. */
function readClientFrames(buf: Buffer): {
  frames: { opcode: number; text: string }[];
  used: number;
} {
  const frames: { opcode: number; text: string }[] = [];
  let at = 0;
  while (buf.length - at >= 2) {
    const opcode = (buf[at] ?? 0) & 0x0f;
    let length = (buf[at + 1] ?? 0) & 0x7f;
    let head = 2;
    if (length === 126) {
      if (buf.length - at < 4) break;
      length = buf.readUInt16BE(at + 2);
      head = 4;
    } else if (length === 127) {
      if (buf.length - at < 10) break;
      length = Number(buf.readBigUInt64BE(at + 2));
      head = 10;
    }
    if (buf.length - at < head + 4 + length) break;
    const mask = buf.subarray(at + head, at + head + 4);
    const payload = Buffer.from(buf.subarray(at + head + 4, at + head + 4 + length));
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
    frames.push({ opcode, text: payload.toString("utf8") });
    at += head + 4 + length;
  }
  return { frames, used: at };
}

let bombFrame: Buffer | null = null;
/** 120 MB of zeros as one compressed (RSV1) frame: about 120 KB on the wire. */
function bomb(): Buffer {
  if (!bombFrame) {
    const text = `{"id":1,"type":"snapshot","data":"${"0".repeat(BIG_BYTES)}"}`;
    const deflated = deflateRawSync(Buffer.from(text), { level: 9 });
    bombFrame = Buffer.concat([frameHeader(1, deflated.length, true, true), deflated]);
  }
  return bombFrame;
}

let gzipBody: Buffer | null = null;
function gzipBomb(): Buffer {
  gzipBody ??= gzipSync(Buffer.alloc(100 * 1024 * 1024), { level: 9 });
  return gzipBody;
}

/** Text with every kind of character a display must not obey. */
export const ESCAPES =
  "\u001b[2J\u001b[31mPWNED\u001b[0m\u202eexe.txt\u200b\u2066hidden\u2069\r\nforged: log line";

export function startHostileSender(): HostileSender {
  // Built now (about a second of CPU), not while a test measures the receiver's pace.
  bomb();
  gzipBomb();
  const stats = new Map<HostileMode, ModeStats>(
    HOSTILE_MODES.map((m) => [
      m,
      { connections: 0, requests: 0, bytesWritten: 0, closes: 0, pongs: 0 },
    ]),
  );
  const statsOf = (mode: HostileMode) => stats.get(mode) as ModeStats;
  let targetConnections = 0;
  const target = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        targetConnections += 1;
        socket.end();
      },
      data() {},
    },
  });

  const write = (socket: Socket<Conn>, bytes: Buffer): number => {
    const written = socket.write(bytes);
    if (socket.data.mode && written > 0) statsOf(socket.data.mode).bytesWritten += written;
    return written;
  };

  /** Streams what is left of a big message, as fast as the receiver reads it. */
  const pump = (socket: Socket<Conn>) => {
    const s = socket.data.streaming;
    if (!s) return;
    while (s.left > 0) {
      if (s.fragment > 0) {
        // Fragments of CHUNK bytes: a text frame first, then continuations, the last with FIN.
        const size = Math.min(s.fragment, s.left);
        const frame = Buffer.concat([
          frameHeader(s.first ? 1 : 0, size, s.left - size === 0),
          CHUNK.subarray(0, size),
        ]);
        const written = write(socket, frame);
        if (written < frame.length) return; // the rest is lost: fine for an attacker
        s.first = false;
        s.left -= size;
      } else {
        const size = Math.min(CHUNK.length, s.left);
        const written = write(socket, CHUNK.subarray(0, size));
        s.left -= written;
        if (written < size) return; // wait for drain
      }
    }
    socket.data.streaming = null;
  };

  const answer = (socket: Socket<Conn>, request: { id: number; type: string }) => {
    const mode = socket.data.mode;
    if (!mode) return;
    statsOf(mode).requests += 1;
    switch (mode) {
      case "oversized":
        if (socket.data.streaming) return;
        write(socket, frameHeader(1, BIG_BYTES));
        write(socket, Buffer.from(`{"id":${request.id},"type":"snapshot","data":"`));
        socket.data.streaming = { left: BIG_BYTES - 64, fragment: 0, first: true };
        return pump(socket);
      case "fragments":
        if (socket.data.streaming) return;
        socket.data.streaming = { left: BIG_BYTES, fragment: 8 * 1024, first: true };
        return pump(socket);
      case "nested": {
        const depth = 400_000;
        write(
          socket,
          textFrame(
            `{"id":${request.id},"type":"snapshot","data":${"[".repeat(depth)}${"]".repeat(depth)}}`,
          ),
        );
        return;
      }
      case "wide": {
        const cores = new Array(150_000).fill("1").join(",");
        write(
          socket,
          textFrame(
            `{"id":${request.id},"type":"snapshot","data":{"v":1,"host":"wide","ts_ms":1,"uptime_s":1,"cpu":{"total_pct":1,"user_pct":1,"system_pct":0,"iowait_pct":null,"steal_pct":null,"cores_pct":[${cores}],"load":null,"freq_mhz":null}}}`,
          ),
        );
        return;
      }
      case "escapes":
        write(
          socket,
          textFrame(
            JSON.stringify({
              id: request.id,
              type: "error",
              error: { code: "internal", message: ESCAPES },
            }),
          ),
        );
        return;
      case "silent":
        return;
      default:
        return;
    }
  };

  const onHead = (socket: Socket<Conn>, head: string) => {
    const [requestLine = ""] = head.split("\r\n");
    const path = requestLine.split(" ")[1] ?? "";
    const mode = HOSTILE_MODES.find((m) => path.startsWith(`/${m}/`)) ?? null;
    socket.data.mode = mode;
    if (!mode) {
      socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    statsOf(mode).connections += 1;
    const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1] ?? "";
    const accept = new Bun.CryptoHasher("sha1").update(key + GUID).digest("base64");
    const upgrade = [
      "HTTP/1.1 101 Switching Protocols",
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Accept: ${accept}`,
    ];
    switch (mode) {
      case "redirect":
        socket.end(
          `HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:${target.port}/api/v1/ws\r\ncontent-length: 0\r\n\r\n`,
        );
        return;
      case "gzip-401": {
        const body = gzipBomb();
        write(
          socket,
          Buffer.from(
            `HTTP/1.1 401 Unauthorized\r\ncontent-encoding: gzip\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
          ),
        );
        write(socket, body);
        return;
      }
      case "throttled":
        socket.end(
          "HTTP/1.1 429 Too Many Requests\r\nretry-after: 30\r\ncontent-length: 0\r\n\r\n",
        );
        return;
      case "bomb":
        write(
          socket,
          Buffer.from(
            `${[...upgrade, "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover"].join("\r\n")}\r\n\r\n`,
          ),
        );
        write(socket, bomb());
        return;
      default:
        socket.data.upgraded = true;
        write(socket, Buffer.from(`${upgrade.join("\r\n")}\r\n\r\n`));
        // A ping right away: the client must answer it with a pong.
        write(socket, Buffer.from([0x89, 0]));
    }
  };

  const server: TCPSocketListener<Conn> = Bun.listen<Conn>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        socket.data = {
          mode: null,
          head: "",
          upgraded: false,
          inbox: Buffer.alloc(0),
          streaming: null,
        };
      },
      data(socket, chunk) {
        const conn = socket.data;
        if (!conn.upgraded && conn.mode === null) {
          conn.head += chunk.toString("latin1");
          const end = conn.head.indexOf("\r\n\r\n");
          if (end < 0) return;
          const rest = Buffer.from(conn.head.slice(end + 4), "latin1");
          onHead(socket, conn.head.slice(0, end));
          if (rest.length === 0) return;
          chunk = rest;
        }
        if (!conn.upgraded) return;
        conn.inbox = Buffer.concat([conn.inbox, chunk]);
        const { frames, used } = readClientFrames(conn.inbox);
        conn.inbox = conn.inbox.subarray(used);
        for (const frame of frames) {
          if (frame.opcode === 0xa && conn.mode) statsOf(conn.mode).pongs += 1;
          if (frame.opcode !== 1) continue;
          try {
            answer(socket, JSON.parse(frame.text) as { id: number; type: string });
          } catch {
            // Not a request: an attacker does not care.
          }
        }
      },
      drain(socket) {
        pump(socket);
      },
      close(socket) {
        if (socket.data.mode) statsOf(socket.data.mode).closes += 1;
        socket.data.streaming = null;
      },
      error() {},
    },
  });

  return {
    port: server.port,
    url: (mode) => `http://127.0.0.1:${server.port}/${mode}`,
    stats: statsOf,
    redirectTargetConnections: () => targetConnections,
    stop() {
      server.stop(true);
      target.stop(true);
    },
  };
}
