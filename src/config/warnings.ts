// What a valid config still does unsafely, said once at start: secrets where other users or the
// network can read them, and a dashboard login that every sender could use.
import { statSync } from "node:fs";
import { formatListen, isLoopbackHost } from "./listen.ts";
import type { Config } from "./types.ts";

/** A file's permission bits, or null when it cannot be looked at (then nothing is said). */
export type ModeOf = (path: string) => number | null;

const modeOf: ModeOf = (path) => {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return null;
  }
};

const octal = (mode: number): string => mode.toString(8).padStart(4, "0");

/** Senders whose token crosses the network in clear: http:// to another machine, with a token. */
export function plainHttpSenders(config: Config): string[] {
  return config.senders
    .filter((s) => {
      const url = URL.parse(s.url);
      return (
        url !== null &&
        url.protocol === "http:" &&
        !isLoopbackHost(url.hostname) &&
        (s.token ?? config.token) !== null
      );
    })
    .map((s) => s.name);
}

export function startupWarnings(config: Config, mode: ModeOf = modeOf): string[] {
  const warnings: string[] = [];
  const hasReceiver = config.role !== "sender";
  const { secretSources } = config;

  if (secretSources.tokenOnCommandLine) {
    warnings.push(
      "--token is visible to every user of this machine (ps, /proc/PID/cmdline): pass the token in HWM_TOKEN or with --token-file FILE instead",
    );
  }

  const plain = hasReceiver ? plainHttpSenders(config) : [];
  if (plain.length > 0) {
    warnings.push(
      `${plain.length === 1 ? "sender" : "senders"} ${plain.join(", ")} ${plain.length === 1 ? "is" : "are"} asked over plain http: the token crosses the network in clear, for anyone on the way to read and use; serve ${plain.length === 1 ? "it" : "them"} with TLS (hwm tls init) and pin the certificate with senders[].fingerprint`,
    );
  }

  if (
    hasReceiver &&
    config.token !== null &&
    config.dashboard.token === null &&
    config.senders.length > 0
  ) {
    warnings.push(
      "the dashboard login takes the fleet token, which every sender is given: a compromised sender could log in; give the dashboard its own secret with dashboard.token_file (README: Security)",
    );
  }

  if (hasReceiver && config.tls === null && !isLoopbackHost(config.listen.host)) {
    warnings.push(
      `the dashboard is served over plain http on ${formatListen(config.listen)}: its login secret and session cookie cross the network in clear, and the cookie cannot be a __Host- one; serve it with TLS ([tls], hwm tls init)`,
    );
  }

  for (const file of secretSources.files) {
    const bits = mode(file);
    if (bits === null || (bits & 0o004) === 0) continue;
    warnings.push(
      `${file} holds a secret and every user of this machine can read it (mode ${octal(bits)}): chmod 600 ${file}`,
    );
  }
  if (config.configPath !== null && secretSources.inConfigFile) {
    const bits = mode(config.configPath);
    if (bits !== null && (bits & 0o004) !== 0) {
      warnings.push(
        `${config.configPath} holds secrets and every user of this machine can read it (mode ${octal(bits)}): chmod 600 it, or move the secrets to token_file`,
      );
    }
  }
  return warnings;
}
