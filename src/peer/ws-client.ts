// The receiver's WebSocket client for its links to senders, bounded where Bun's is not: of the
// upgrade answer only the status line and headers are read (never a body, never a redirect), no
// extension is offered (so no compressed frame can inflate), and each frame's declared length is
// checked against the cap before a byte of its payload is kept.
//
// Why not Bun's WebSocket: its client takes no size limit (only a fixed 128 MiB one) and always
// buffers a whole message before JavaScript sees it, so one sender could make the receiver hold
// 128 MiB per message; and a refused upgrade gives no status, which meant a second HTTP request.
import { connect as netConnect, type Socket } from "node:net";
import { type TLSSocket, connect as tlsConnect } from "node:tls";
import {
  connectFailure,
  LinkError,
  type PeerWords,
  SENDER_WORDS,
  senderText,
  upgradeRefused,
} from "./link-error.ts";
import type { SocketTrust } from "./tls.ts";

export interface SenderSocketOptions {
  /** The WebSocket endpoint as an http(s) URL. */
  url: URL;
  headers: Readonly<Record<string, string>>;
  /** For https: how the sender's certificate is trusted. */
  trust: SocketTrust | null;
  maxMessageBytes: number;
  /** How the user sets the cap, for the message that names it (default "max_message_bytes"). */
  capName?: string;
  /** Who is at the other end, in the messages (default: a receiver's words about a sender). */
  words?: PeerWords;
  /** For the connection and the upgrade together. */
  timeoutMs: number;
  onMessage(text: string): void;
  /** Once, when the open connection ends for any reason (not called when open() rejects). */
  onClose(error: LinkError): void;
}

/** The upgrade answer's status line and headers must fit in this (Bun's own answer is ~200 B). */
const MAX_HEAD_BYTES = 16 * 1024;
const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

interface FrameHead {
  fin: boolean;
  opcode: number;
  length: number;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/** A client frame: always masked (RFC 6455 §5.3), with a fresh key per frame. */
function encodeFrame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const head = 2 + lengthBytes + 4;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x80 | opcode;
  if (lengthBytes === 0) frame[1] = 0x80 | length;
  else if (lengthBytes === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = crypto.getRandomValues(new Uint8Array(4));
  frame.set(mask, 2 + lengthBytes);
  for (let i = 0; i < length; i++) frame[head + i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
  return frame;
}

const incompatible = (message: string) => new LinkError("incompatible", message);

export class SenderSocket {
  private socket: Socket | null = null;
  private closed = false;
  /** Why the open connection ended; null while it is open (or before it opened). */
  closedWith: LinkError | null = null;
  /** Header bytes of the frame being read, until the header is complete. */
  private head: Buffer = Buffer.alloc(0);
  private frame: FrameHead | null = null;
  private payload: Buffer = Buffer.alloc(0);
  private filled = 0;
  /** The parts of a fragmented text message so far; `inMessage` once its first frame came. */
  private parts: Buffer[] = [];
  private inMessage = false;
  private partsBytes = 0;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

  private constructor(private readonly options: SenderSocketOptions) {}

  /** "sender", or what the caller calls the other end ("receiver", "node"). */
  private get peer(): string {
    return (this.options.words ?? SENDER_WORDS).peer;
  }

  /** Connects and upgrades; rejects with a LinkError that says what went wrong. */
  static open(options: SenderSocketOptions): Promise<SenderSocket> {
    return new SenderSocket(options).start();
  }

  get isOpen(): boolean {
    return this.socket !== null && !this.closed;
  }

  send(text: string): void {
    if (this.isOpen) this.socket?.write(encodeFrame(OP.text, Buffer.from(text)));
  }

  /** A normal close from our side; onClose gets `error` (or a "cancelled" one). */
  close(code = 1000, reason = "", error?: LinkError): void {
    const socket = this.socket;
    if (!socket || this.closed) return;
    const body = Buffer.alloc(2 + Buffer.byteLength(reason));
    body.writeUInt16BE(code, 0);
    body.write(reason, 2);
    socket.end(encodeFrame(OP.close, body));
    // The sender should close in turn; a hostile or frozen one need not, so do not wait long.
    setTimeout(() => socket.destroy(), 1000).unref();
    this.finish(error ?? new LinkError("cancelled", "connection closed by the receiver"));
  }

  /** Drop the connection at once (a protocol violation, a message over the cap, a dead peer). */
  abort(error: LinkError): void {
    this.socket?.destroy();
    this.finish(error);
  }

  private finish(error: LinkError): void {
    // Before the upgrade succeeded, open() rejects instead.
    if (this.closed || !this.socket) return;
    this.closed = true;
    this.closedWith = error;
    this.parts = [];
    this.payload = Buffer.alloc(0);
    this.options.onClose(error);
  }

  private start(): Promise<SenderSocket> {
    const { url, trust, timeoutMs } = this.options;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const secure = url.protocol === "https:";
    const port = Number(url.port || (secure ? 443 : 80));
    const where = url.host;
    return new Promise((resolve, reject) => {
      let settled = false;
      let headBytes: Buffer = Buffer.alloc(0);
      const key = base64(crypto.getRandomValues(new Uint8Array(16)));
      const socket = secure
        ? tlsConnect({ host, port, ...trust?.options })
        : netConnect({ host, port });
      const fail = (error: LinkError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new LinkError("timeout", `no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.on(secure ? "secureConnect" : "connect", () => {
        const untrusted = secure && trust ? trust.verify(socket as TLSSocket) : null;
        if (untrusted) return fail(untrusted);
        // Requests are small and sent in pairs (info and snapshot): no Nagle delay between them.
        socket.setNoDelay(true);
        const lines = [
          `GET ${url.pathname}${url.search} HTTP/1.1`,
          `Host: ${where}`,
          "Upgrade: websocket",
          "Connection: Upgrade",
          `Sec-WebSocket-Key: ${key}`,
          "Sec-WebSocket-Version: 13",
          ...Object.entries(this.options.headers).map(([name, value]) => `${name}: ${value}`),
        ];
        socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      });
      socket.on("error", (err) => {
        if (!settled) return fail(connectFailure(err, where, timeoutMs, this.options.words));
        this.abort(connectFailure(err, where, timeoutMs, this.options.words));
      });
      socket.on("close", () => {
        if (!settled) {
          return fail(
            new LinkError(
              "offline",
              secure
                ? `the connection closed before the ${this.peer} answered`
                : `the connection closed before the ${this.peer} answered (if the ${this.peer} uses TLS, its url must start with https://)`,
            ),
          );
        }
        this.finish(new LinkError("offline", `the ${this.peer} closed the connection`));
      });
      socket.on("data", (chunk: Buffer) => {
        if (settled) {
          if (!this.closed) this.read(chunk);
          return;
        }
        headBytes = headBytes.length === 0 ? chunk : Buffer.concat([headBytes, chunk]);
        const end = headBytes.indexOf("\r\n\r\n");
        if (end < 0) {
          if (headBytes.length > MAX_HEAD_BYTES) {
            fail(incompatible(`the ${this.peer}'s answer headers exceed ${MAX_HEAD_BYTES} bytes`));
          }
          return;
        }
        if (end > MAX_HEAD_BYTES) {
          return fail(
            incompatible(`the ${this.peer}'s answer headers exceed ${MAX_HEAD_BYTES} bytes`),
          );
        }
        const problem = this.checkUpgrade(headBytes.subarray(0, end).toString("latin1"), key);
        if (problem) return fail(problem);
        settled = true;
        clearTimeout(timer);
        this.socket = socket;
        resolve(this);
        const rest = headBytes.subarray(end + 4);
        if (rest.length > 0) this.read(rest);
      });
    });
  }

  /** null when the answer is a valid upgrade to a plain WebSocket (no extension, no protocol). */
  private checkUpgrade(head: string, key: string): LinkError | null {
    const [statusLine = "", ...lines] = head.split("\r\n");
    const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
    if (!status) return incompatible(`the ${this.peer} did not answer in HTTP`);
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon > 0) {
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
    }
    const code = Number(status[1]);
    if (code !== 101) {
      const retryAfter = Number(headers.get("retry-after"));
      return upgradeRefused(
        code,
        Number.isFinite(retryAfter) ? retryAfter : null,
        this.options.words,
      );
    }
    const accept = new Bun.CryptoHasher("sha1").update(key + WS_GUID).digest("base64");
    if (headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return incompatible(`the ${this.peer} answered 101 without upgrading to WebSocket`);
    }
    if (headers.get("sec-websocket-accept") !== accept) {
      return incompatible(
        `the ${this.peer}'s WebSocket handshake is invalid (wrong Sec-WebSocket-Accept)`,
      );
    }
    const extensions = headers.get("sec-websocket-extensions");
    if (extensions) {
      // Offered none: a sender that turns on compression anyway could send a deflate bomb.
      return incompatible(
        `the ${this.peer} turned on a WebSocket extension that was not offered (${senderText(extensions)})`,
      );
    }
    return null;
  }

  /** Frames from the bytes that arrived; stops at the first violation. */
  private read(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.closed) {
      if (!this.frame) {
        offset = this.readHead(chunk, offset);
        continue;
      }
      const take = Math.min(this.frame.length - this.filled, chunk.length - offset);
      chunk.copy(this.payload, this.filled, offset, offset + take);
      this.filled += take;
      offset += take;
      if (this.filled === this.frame.length) this.complete();
    }
  }

  /** Takes header bytes from `chunk`; returns the new offset. */
  private readHead(chunk: Buffer, offset: number): number {
    const needed = (head: Buffer) => {
      if (head.length < 2) return 2;
      const length7 = (head[1] ?? 0) & 0x7f;
      const masked = ((head[1] ?? 0) & 0x80) !== 0;
      return 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0) + (masked ? 4 : 0);
    };
    while (this.head.length < needed(this.head) && offset < chunk.length) {
      const want = needed(this.head) - this.head.length;
      const part = chunk.subarray(offset, offset + want);
      this.head = this.head.length === 0 ? Buffer.from(part) : Buffer.concat([this.head, part]);
      offset += part.length;
    }
    if (this.head.length < needed(this.head)) return offset;
    const head = this.head;
    this.head = Buffer.alloc(0);
    this.startFrame(head);
    return offset;
  }

  private startFrame(head: Buffer): void {
    const b0 = head[0] ?? 0;
    const b1 = head[1] ?? 0;
    const length7 = b1 & 0x7f;
    const frame: FrameHead = {
      fin: (b0 & 0x80) !== 0,
      opcode: b0 & 0x0f,
      length:
        length7 === 126
          ? head.readUInt16BE(2)
          : length7 === 127
            ? head.readUInt32BE(2) * 2 ** 32 + head.readUInt32BE(6)
            : length7,
    };
    const problem = this.frameProblem(frame, b0, b1);
    if (problem) {
      this.violation(problem.code, incompatible(problem.why));
      return;
    }
    this.frame = frame;
    this.payload = Buffer.allocUnsafe(frame.length);
    this.filled = 0;
    if (frame.length === 0) this.complete();
  }

  /** What is wrong with a frame, from its header alone, with the close code that says so. */
  private frameProblem(
    { fin, opcode, length }: FrameHead,
    b0: number,
    b1: number,
  ): { code: number; why: string } | null {
    const protocol = (why: string) => ({ code: 1002, why });
    if ((b0 & 0x70) !== 0) {
      return protocol(`the ${this.peer} set reserved bits in a frame (compression was not agreed)`);
    }
    if ((b1 & 0x80) !== 0) return protocol(`the ${this.peer} masked its frames`);
    if (opcode === OP.close || opcode === OP.ping || opcode === OP.pong) {
      return !fin || length > 125
        ? protocol(`the ${this.peer} sent an invalid control frame`)
        : null;
    }
    if (opcode === OP.binary) {
      return { code: 1003, why: `the ${this.peer} sent binary data; hwm speaks JSON text` };
    }
    if (opcode !== OP.text && opcode !== OP.continuation) {
      return protocol(`the ${this.peer} sent an unknown frame type (${opcode})`);
    }
    if (opcode === OP.text && this.inMessage) {
      return protocol(`the ${this.peer} interleaved two messages`);
    }
    if (opcode === OP.continuation && !this.inMessage) {
      return protocol(`the ${this.peer} continued a message it never started`);
    }
    if (this.partsBytes + length > this.options.maxMessageBytes) {
      // Refused on the declared length, before the payload is read, let alone kept.
      return {
        code: 1009,
        why: `the ${this.peer} sent a message of over ${this.options.maxMessageBytes} bytes (${this.options.capName ?? "max_message_bytes"}); the connection was closed`,
      };
    }
    return null;
  }

  private complete(): void {
    const frame = this.frame;
    const payload = this.payload;
    this.frame = null;
    this.payload = Buffer.alloc(0);
    if (!frame) return;
    switch (frame.opcode) {
      case OP.ping:
        this.socket?.write(encodeFrame(OP.pong, payload));
        return;
      case OP.pong:
        return;
      case OP.close: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : null;
        const reason = senderText(payload.subarray(2).toString("utf8"));
        this.close(
          1000,
          "",
          new LinkError(
            "offline",
            `the ${this.peer} closed the connection${code === null ? "" : ` (${code}${reason ? `: ${reason}` : ""})`}`,
          ),
        );
        return;
      }
    }
    this.parts.push(payload);
    this.partsBytes += payload.length;
    this.inMessage = !frame.fin;
    if (!frame.fin) return;
    const message = this.parts.length === 1 ? payload : Buffer.concat(this.parts);
    this.parts = [];
    this.partsBytes = 0;
    let text: string;
    try {
      text = this.decoder.decode(message);
    } catch {
      this.violation(1007, incompatible(`the ${this.peer} sent text that is not valid UTF-8`));
      return;
    }
    this.options.onMessage(text);
  }

  /** Tell the sender why (best effort) and drop the connection. */
  private violation(code: number, error: LinkError): void {
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code, 0);
    this.socket?.write(encodeFrame(OP.close, body));
    this.abort(error);
  }
}
