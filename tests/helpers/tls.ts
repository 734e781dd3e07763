// A self-signed certificate for 127.0.0.1 made with openssl, and its SHA-256 fingerprint.
import { join } from "node:path";

export interface TestCert {
  cert: string;
  key: string;
  /** "sha256:AB:CD:…" as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint: string;
}

export function selfSignedCert(dir: string): TestCert {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  const gen = Bun.spawnSync(
    [
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
    ]
      .concat(["-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost"])
      .concat(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]),
    { stderr: "pipe" },
  );
  if (gen.exitCode !== 0) throw new Error(`openssl failed: ${gen.stderr.toString()}`);
  const fp = Bun.spawnSync([
    "openssl",
    "x509",
    "-in",
    cert,
    "-noout",
    "-fingerprint",
    "-sha256",
  ]).stdout.toString();
  return { cert, key, fingerprint: `sha256:${fp.split("=")[1]?.trim() ?? ""}` };
}
