// The SHA-256 fingerprint of a PEM certificate, as receivers pin it ("sha256:" and 64 hex
// digits): the hash of the certificate's DER bytes, computed without node:crypto or openssl.
import { readFileSync } from "node:fs";

/** The DER bytes of the first certificate in PEM text, or null when there is none. */
export function firstCertificateDer(pem: string): Uint8Array | null {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!match?.[1]) return null;
  const body = match[1].replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+=*$/.test(body)) return null;
  return new Uint8Array(Buffer.from(body, "base64"));
}

export function fingerprintOfDer(der: Uint8Array): string {
  return `sha256:${new Bun.CryptoHasher("sha256").update(der).digest("hex")}`;
}

/** The fingerprint of the certificate file a node serves; null when it cannot be read. */
export function certificateFingerprint(path: string): string | null {
  try {
    const der = firstCertificateDer(readFileSync(path, "utf8"));
    return der ? fingerprintOfDer(der) : null;
  } catch {
    return null;
  }
}
