// How a receiver trusts an https sender: the system CAs, a CA file, or a pinned SHA-256
// fingerprint of the sender's certificate (self-signed certificates in a homelab).
import { readFileSync } from "node:fs";
import { type ConnectionOptions, connect, type PeerCertificate, type TLSSocket } from "node:tls";
import { LinkError, type RemoteTarget } from "./link-error.ts";

export interface SenderTls {
  ca?: string;
  checkServerIdentity?: (hostname: string, cert: PeerCertificate) => Error | undefined;
}

/** "AB:CD:.." (node) or "sha256:abcd.." (config) → "abcd..". */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint
    .replace(/^sha256:/i, "")
    .replace(/:/g, "")
    .toLowerCase();
}

function toPem(raw: Buffer): string {
  const lines = raw.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** The sender's leaf certificate, read without verifying it (we verify its fingerprint instead). */
function peerCertificate(url: URL, timeoutMs: number): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: Number(url.port || 443),
      servername: /^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname,
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new LinkError("timeout", `no TLS handshake within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(cert);
    });
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(new LinkError("offline", `unreachable: ${err.message}`));
    });
  });
}

export async function senderTls(
  target: RemoteTarget,
  timeoutMs: number,
): Promise<SenderTls | undefined> {
  const url = new URL(target.url);
  if (url.protocol !== "https:") return undefined;
  if (target.fingerprint) {
    const expected = normalizeFingerprint(target.fingerprint);
    const cert = await peerCertificate(url, timeoutMs);
    const actual = normalizeFingerprint(cert.fingerprint256 ?? "");
    if (actual !== expected) {
      throw new LinkError(
        "unauthorized",
        `the sender's certificate has fingerprint sha256:${actual}, not the pinned sha256:${expected}`,
      );
    }
    // The pinned certificate becomes the only trust anchor; its fingerprint, not its name, is
    // what we trust, so the name check is replaced by the fingerprint check.
    return {
      ca: toPem(cert.raw),
      checkServerIdentity: (_hostname, peer) =>
        normalizeFingerprint(peer.fingerprint256 ?? "") === expected
          ? undefined
          : new Error("certificate fingerprint changed during the connection"),
    };
  }
  if (target.ca) return { ca: readFileSync(target.ca, "utf8") };
  return undefined;
}

/** How a receiver's own WebSocket client (ws-client.ts) opens and then checks a TLS connection. */
export interface SocketTrust {
  options: ConnectionOptions;
  /** After the handshake: null when the peer is trusted, else why not. */
  verify(socket: TLSSocket): LinkError | null;
}

/**
 * A pinned fingerprint is checked on the connection itself once the handshake is done, so the
 * certificate checked is the one that carries the data (no second connection to read it first).
 * Throws a LinkError when the CA file cannot be read.
 */
export function socketTrust(target: RemoteTarget): SocketTrust {
  const url = new URL(target.url);
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  // SNI carries names only, never addresses.
  const servername = /^[\d.]+$|:/.test(hostname) ? undefined : hostname;
  if (target.fingerprint) {
    const expected = normalizeFingerprint(target.fingerprint);
    return {
      options: { servername, rejectUnauthorized: false },
      verify(socket) {
        const actual = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? "");
        return actual === expected
          ? null
          : new LinkError(
              "unauthorized",
              `the sender's certificate does not match the pinned fingerprint: it is sha256:${actual}, not the pinned sha256:${expected}`,
            );
      },
    };
  }
  if (target.ca) {
    let ca: string;
    try {
      ca = readFileSync(target.ca, "utf8");
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new LinkError("unauthorized", `cannot read the CA file ${target.ca}: ${reason}`);
    }
    return { options: { servername, ca }, verify: () => null };
  }
  return { options: { servername }, verify: () => null };
}
