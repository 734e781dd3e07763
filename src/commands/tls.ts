// `hwm tls init`: a private key and a self-signed certificate for this node (no openssl needed),
// with the fingerprint a receiver pins and the config lines to paste; `hwm tls fingerprint FILE`.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import { join, resolve } from "node:path";
import { defineCommand } from "citty";
import { UsageError } from "../config/index.ts";
import { selfSignedCertificate, subjectNameProblem } from "../server/certificate.ts";
import { fingerprintOfDer, firstCertificateDer } from "../server/fingerprint.ts";

export const DEFAULT_VALID_DAYS = 3650;

/** /etc/hwm for root (where `hwm service` keeps its files), else the user's config directory. */
export function defaultTlsDirectory(env: Record<string, string | undefined>, uid: number): string {
  if (uid === 0) return "/etc/hwm";
  return join(env.XDG_CONFIG_HOME || join(env.HOME || "/tmp", ".config"), "hwm");
}

/** This machine's names and addresses: what a receiver or a browser may call it by. */
export function machineNames(): string[] {
  const names = [hostname(), "localhost", "127.0.0.1", "::1"];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      // Link-local addresses need a zone (fe80::1%eth0), which no URL to a sender carries.
      if (a.internal || a.address.toLowerCase().startsWith("fe80:")) continue;
      names.push(a.address);
    }
  }
  return names.filter((n) => n !== "");
}

export interface TlsInitOptions {
  directory: string;
  names: string[];
  validDays: number;
  force: boolean;
  now?: Date;
}

/** Writes key.pem (0600) and cert.pem; returns the lines to print. */
export async function tlsInit(options: TlsInitOptions): Promise<string[]> {
  const keyPath = join(options.directory, "key.pem");
  const certPath = join(options.directory, "cert.pem");
  const existing = [keyPath, certPath].filter((p) => existsSync(p));
  if (existing.length > 0 && !options.force) {
    throw new UsageError(
      `${existing.join(" and ")} already ${existing.length === 1 ? "exists" : "exist"}: receivers pinned to that certificate would refuse a new one; pass --force to replace it, or --dir for another directory`,
    );
  }
  const names = [...new Set(options.names)];
  const [commonName = "hwm"] = names;
  const made = await selfSignedCertificate({
    commonName,
    names,
    validDays: options.validDays,
    now: options.now,
  });
  mkdirSync(options.directory, { recursive: true, mode: 0o700 });
  writeFileSync(keyPath, made.keyPem, { mode: 0o600 });
  chmodSync(keyPath, 0o600); // the mode above applies only when the file is created
  writeFileSync(certPath, made.certPem, { mode: 0o644 });
  const address =
    names.find((n) => /^\d+\.\d+\.\d+\.\d+$/.test(n) && !n.startsWith("127.")) ?? commonName;
  return [
    `wrote ${keyPath} (mode 0600) and ${certPath}, valid until ${made.notAfter.toISOString().slice(0, 10)}`,
    `for: ${names.join(", ")}`,
    `fingerprint: ${made.fingerprint}`,
    "",
    "On this node, in its config file (`hwm service install --tls-cert F --tls-key F` writes",
    "this for you, handing both files to the service through systemd's LoadCredential):",
    "",
    "  [tls]",
    `  cert = ${JSON.stringify(certPath)}`,
    `  key = ${JSON.stringify(keyPath)}`,
    "",
    "On the receiver, for this sender:",
    "",
    "  [[senders]]",
    `  name = ${JSON.stringify(commonName.replace(/[^A-Za-z0-9._-]/g, "-"))}`,
    `  url = "https://${address}:7070"`,
    `  fingerprint = "${made.fingerprint}"`,
  ];
}

function parseDays(text: string | undefined): number {
  if (text === undefined) return DEFAULT_VALID_DAYS;
  const days = Number(text);
  if (!/^\d+$/.test(text) || days < 1 || days > 36_500)
    throw new UsageError(
      `--days: expected a whole number of days from 1 to 36500, got ${JSON.stringify(text)}`,
    );
  return days;
}

function parseNames(text: string | undefined): string[] {
  if (text === undefined) return [];
  const names = text
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  for (const name of names) {
    const problem = subjectNameProblem(name);
    if (problem) throw new UsageError(`--san: ${problem}`);
  }
  return names;
}

const initArgs = {
  dir: {
    type: "string",
    description: "where to write them (default /etc/hwm as root, else ~/.config/hwm)",
    valueHint: "DIR",
  },
  san: {
    type: "string",
    description:
      "more names and addresses the certificate is for, comma-separated (this machine's hostname and addresses are always in)",
    valueHint: "NAME,IP,…",
  },
  days: {
    type: "string",
    description: `validity (default ${DEFAULT_VALID_DAYS})`,
    valueHint: "N",
  },
  force: { type: "boolean", description: "replace an existing key.pem and cert.pem" },
} as const;

const init = defineCommand({
  meta: {
    name: "init",
    description:
      "Write key.pem (mode 0600) and a self-signed cert.pem for this node; print the fingerprint to pin and the config lines.",
  },
  args: initArgs,
  async run({ args }) {
    const lines = await tlsInit({
      directory: resolve(args.dir ?? defaultTlsDirectory(process.env, process.getuid?.() ?? -1)),
      names: [...machineNames(), ...parseNames(args.san)],
      validDays: parseDays(args.days),
      force: args.force === true,
    });
    for (const line of lines) console.log(line);
  },
});

const fingerprint = defineCommand({
  meta: {
    name: "fingerprint",
    description:
      "Print the sha256: fingerprint of a PEM certificate, as senders[].fingerprint takes it.",
  },
  args: {
    file: {
      type: "positional",
      required: true,
      description: "The certificate (PEM).",
      valueHint: "FILE",
    },
  },
  run({ args }) {
    let text: string;
    try {
      text = readFileSync(args.file, "utf8");
    } catch (err) {
      throw new UsageError(
        `cannot read ${args.file}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const der = firstCertificateDer(text);
    if (!der)
      throw new UsageError(`${args.file}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it`);
    console.log(fingerprintOfDer(der));
  },
});

export default defineCommand({
  meta: {
    name: "tls",
    description:
      "TLS for a node: hwm tls init [--dir DIR] [--san NAMES]; hwm tls fingerprint FILE.",
  },
  // Declared here too: src/main.ts checks the flags against this command's own list.
  args: initArgs,
  subCommands: { init, fingerprint },
});
