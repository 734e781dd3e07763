// The self-signed certificate `hwm tls init` writes without openssl: a valid X.509 that
// node:crypto (and openssl, where present) reads back, served by Bun, and the fingerprint a
// receiver sees on the wire equal to the one printed.
import { describe, expect, test } from "bun:test";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { defaultTlsDirectory, tlsInit } from "../../../src/commands/tls.ts";
import {
  ipAddressBytes,
  selfSignedCertificate,
  subjectNameProblem,
} from "../../../src/server/certificate.ts";
import { certificateFingerprint } from "../../../src/server/fingerprint.ts";

const dir = mkdtempSync(join(tmpdir(), "hwm-cert-"));

/** The SHA-256 fingerprint of the certificate a TLS server presents, as a receiver sees it. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(`sha256:${fp.replaceAll(":", "").toLowerCase()}`);
    });
    socket.on("error", reject);
  });
}

describe("selfSignedCertificate", () => {
  test("a P-256 leaf for the given names, read back by node:crypto, signed by its own key", async () => {
    const made = await selfSignedCertificate({
      commonName: "pve-web",
      names: ["pve-web", "localhost", "10.0.0.12", "::1", "fd00::12"],
      validDays: 3650,
      now: new Date("2026-12-01T00:00:00Z"),
    });
    const x509 = new X509Certificate(made.certPem);
    expect(x509.subject).toBe("CN=pve-web");
    expect(x509.issuer).toBe("CN=pve-web");
    expect(x509.subjectAltName).toBe(
      "DNS:pve-web, DNS:localhost, IP Address:10.0.0.12, IP Address:0:0:0:0:0:0:0:1, IP Address:FD00:0:0:0:0:0:0:12",
    );
    expect(x509.ca).toBe(false);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(new Date(x509.validTo).toISOString()).toBe("2036-11-28T00:00:00.000Z");
    expect(`sha256:${x509.fingerprint256.replaceAll(":", "").toLowerCase()}`).toBe(
      made.fingerprint,
    );
    const key = createPrivateKey(made.keyPem);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    const openssl = Bun.which("openssl");
    if (openssl) {
      const path = join(dir, "check.pem");
      writeFileSync(path, made.certPem);
      const check = Bun.spawnSync([
        openssl,
        "x509",
        "-in",
        path,
        "-noout",
        "-fingerprint",
        "-sha256",
      ]);
      expect(check.stdout.toString().split("=")[1]?.trim().replaceAll(":", "").toLowerCase()).toBe(
        made.fingerprint.slice("sha256:".length),
      );
    }
  });

  test("Bun serves it, and the fingerprint on the wire is the one printed", async () => {
    const made = await selfSignedCertificate({
      commonName: "x",
      names: ["127.0.0.1"],
      validDays: 1,
    });
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: made.certPem, key: made.keyPem },
      fetch: () => new Response("ok"),
    });
    try {
      expect(await servedFingerprint(server.port ?? 0)).toBe(made.fingerprint);
      // Trusted as its own CA, which is how a receiver trusts a pinned certificate.
      const res = await fetch(`https://127.0.0.1:${server.port}/`, {
        tls: { ca: made.certPem },
      } as RequestInit);
      expect(await res.text()).toBe("ok");
    } finally {
      await server.stop(true);
    }
  });

  test("names: DNS names and IPv4/IPv6 addresses; anything else is refused", () => {
    expect(ipAddressBytes("10.0.0.12")).toEqual(Uint8Array.of(10, 0, 0, 12));
    expect(ipAddressBytes("[::1]")?.at(15)).toBe(1);
    expect(ipAddressBytes("::ffff:10.0.0.1")?.slice(10)).toEqual(
      Uint8Array.of(255, 255, 10, 0, 0, 1),
    );
    expect(ipAddressBytes("nas.lan")).toBeNull();
    expect(ipAddressBytes("1:2:3")).toBeNull();
    expect(subjectNameProblem("nas.lan")).toBeNull();
    expect(subjectNameProblem("*.home.example")).toBeNull();
    expect(subjectNameProblem("bad name")).toContain("expected a DNS name or an IP address");
  });
});

describe("hwm tls init", () => {
  test("writes key.pem 0600 and cert.pem; prints the fingerprint and the config lines", async () => {
    const target = join(dir, "init");
    const lines = await tlsInit({
      directory: target,
      names: ["pve-web", "10.0.0.12", "127.0.0.1"],
      validDays: 30,
      force: false,
    });
    expect(statSync(join(target, "key.pem")).mode & 0o777).toBe(0o600);
    const fingerprint = certificateFingerprint(join(target, "cert.pem"));
    expect(fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const text = lines.join("\n");
    expect(text).toContain(`fingerprint: ${fingerprint}`);
    expect(text).toContain(`cert = "${join(target, "cert.pem")}"`);
    expect(text).toContain('url = "https://10.0.0.12:7070"');
    expect(text).toContain(`fingerprint = "${fingerprint}"`);
    expect(readFileSync(join(target, "key.pem"), "utf8")).toStartWith(
      "-----BEGIN PRIVATE KEY-----",
    );
  });

  test("never replaces a pinned certificate by accident: --force does", async () => {
    const target = join(dir, "again");
    const options = { directory: target, names: ["a"], validDays: 1, force: false };
    await tlsInit(options);
    const before = certificateFingerprint(join(target, "cert.pem"));
    await expect(tlsInit(options)).rejects.toThrow("already exist");
    expect(certificateFingerprint(join(target, "cert.pem"))).toBe(before);
    await tlsInit({ ...options, force: true });
    expect(certificateFingerprint(join(target, "cert.pem"))).not.toBe(before);
    expect(statSync(join(target, "key.pem")).mode & 0o777).toBe(0o600);
  });

  test("the directory: /etc/hwm as root, else the user's config directory", () => {
    expect(defaultTlsDirectory({ HOME: "/home/u" }, 0)).toBe("/etc/hwm");
    expect(defaultTlsDirectory({ HOME: "/home/u" }, 1000)).toBe("/home/u/.config/hwm");
    expect(defaultTlsDirectory({ HOME: "/home/u", XDG_CONFIG_HOME: "/x" }, 1000)).toBe("/x/hwm");
  });
});
