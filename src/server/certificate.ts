// A self-signed TLS certificate made with WebCrypto alone (ECDSA P-256, SHA-256): the X.509
// structure is written out in DER here, so `hwm tls init` needs no openssl on the machine.
import { fingerprintOfDer } from "./fingerprint.ts";

// --- DER: tag, length, content ---

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function tlv(tag: number, content: Uint8Array): Uint8Array<ArrayBuffer> {
  const n = content.length;
  let length: number[];
  if (n < 0x80) length = [n];
  else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    length = [0x80 | bytes.length, ...bytes];
  }
  return concat([Uint8Array.of(tag, ...length), content]);
}

const sequence = (...items: Uint8Array[]) => tlv(0x30, concat(items));
const set = (...items: Uint8Array[]) => tlv(0x31, concat(items));
const octets = (bytes: Uint8Array) => tlv(0x04, bytes);
const bitString = (bytes: Uint8Array) => tlv(0x03, concat([Uint8Array.of(0), bytes]));
const utf8 = (text: string) => tlv(0x0c, new TextEncoder().encode(text));
const explicit = (n: number, content: Uint8Array) => tlv(0xa0 + n, content);
const TRUE = Uint8Array.of(0x01, 0x01, 0xff);

/** A non-negative INTEGER from big-endian bytes: minimal, with a 0 byte when the top bit is set. */
function unsigned(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? concat([Uint8Array.of(0), trimmed]) : trimmed);
}

function oid(dotted: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128))
      chunk.unshift(0x80 | (n & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

/** UTCTime through 2049, GeneralizedTime after, as RFC 5280 requires. */
function time(date: Date): Uint8Array {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14); // YYYYMMDDHHMMSS
  const year = date.getUTCFullYear();
  return year < 2050
    ? tlv(0x17, new TextEncoder().encode(`${iso.slice(2)}Z`))
    : tlv(0x18, new TextEncoder().encode(`${iso}Z`));
}

// --- names and addresses ---

const OID = {
  commonName: "2.5.4.3",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
};

function ipv4Bytes(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255))
    return null;
  return Uint8Array.from(parts.map(Number));
}

function ipv6Bytes(text: string): Uint8Array | null {
  if (!text.includes(":") || text.includes("%")) return null;
  let head = text;
  let tail4: Uint8Array | null = null;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    tail4 = ipv4Bytes(text.slice(lastColon + 1));
    if (!tail4) return null;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0] ?? "");
  const right = halves.length === 2 ? groups(halves[1] ?? "") : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    const value = Number.parseInt(g, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  if (tail4) bytes.set(tail4, 12);
  return bytes;
}

/** The bytes of an IP address (4 or 16), or null for a DNS name. */
export function ipAddressBytes(text: string): Uint8Array | null {
  const bare = text.replace(/^\[|\]$/g, "");
  return ipv4Bytes(bare) ?? ipv6Bytes(bare);
}

const DNS_NAME =
  /^(?=.{1,253}$)(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** Why a name cannot go into the certificate, or null when it can. */
export function subjectNameProblem(name: string): string | null {
  if (ipAddressBytes(name) || DNS_NAME.test(name)) return null;
  return `expected a DNS name or an IP address, got ${JSON.stringify(name)}`;
}

function generalName(name: string): Uint8Array {
  const ip = ipAddressBytes(name);
  // [7] iPAddress and [2] dNSName, both implicitly tagged.
  return ip ? tlv(0x87, ip) : tlv(0x82, new TextEncoder().encode(name));
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? sequence(oid(id), TRUE, octets(value)) : sequence(oid(id), octets(value));
}

// --- the certificate ---

export interface SelfSignedOptions {
  /** The subject's common name (the host name). */
  commonName: string;
  /** DNS names and IP addresses the certificate is for (subjectAltName). */
  names: readonly string[];
  validDays: number;
  now?: Date;
}

export interface SelfSigned {
  /** PKCS#8 private key, PEM. */
  keyPem: string;
  certPem: string;
  /** "sha256:" and 64 lowercase hex digits: what a receiver pins. */
  fingerprint: string;
  notAfter: Date;
}

function pem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** WebCrypto signs ECDSA as r‖s; X.509 wants SEQUENCE { INTEGER r, INTEGER s }. */
function ecdsaSignatureDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  return sequence(unsigned(raw.subarray(0, half)), unsigned(raw.subarray(half)));
}

export async function selfSignedCertificate(options: SelfSignedOptions): Promise<SelfSigned> {
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ]);
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", keys.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  const rawPublicKey = new Uint8Array(await crypto.subtle.exportKey("raw", keys.publicKey));

  const now = options.now ?? new Date();
  // An hour of slack for a receiver whose clock is a little behind.
  const notBefore = new Date(now.getTime() - 3_600_000);
  const notAfter = new Date(now.getTime() + options.validDays * 86_400_000);
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01; // positive and never zero
  const name = sequence(set(sequence(oid(OID.commonName), utf8(options.commonName))));
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const extensions = sequence(
    // A leaf, not a CA: pinning trusts this one certificate, not what it might sign.
    extension(OID.basicConstraints, true, sequence()),
    extension(OID.keyUsage, true, tlv(0x03, Uint8Array.of(7, 0x80))), // digitalSignature
    extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
    extension(OID.subjectAltName, false, sequence(...options.names.map(generalName))),
    extension(
      OID.subjectKeyIdentifier,
      false,
      octets(new Uint8Array(new Bun.CryptoHasher("sha1").update(rawPublicKey).digest())),
    ),
  );
  const tbs = sequence(
    explicit(0, unsigned(Uint8Array.of(2))), // version 3
    unsigned(serial),
    algorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    spki,
    explicit(3, extensions),
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, tbs),
  );
  const certificate = sequence(tbs, algorithm, bitString(ecdsaSignatureDer(signature)));
  return {
    keyPem: pem("PRIVATE KEY", pkcs8),
    certPem: pem("CERTIFICATE", certificate),
    fingerprint: fingerprintOfDer(certificate),
    notAfter,
  };
}
