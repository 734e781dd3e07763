// `hwm tui [URL|PROFILE]`: attach the terminal dashboard to a running node (this machine's by
// default), and manage saved connection profiles (--save NAME URL, --list).

import { resolve } from "node:path";
import { type ArgsDef, defineCommand } from "citty";
import {
  FINGERPRINT_EXPECTED,
  INTERVAL_EXPECTED,
  isIntervalMs,
  isMessageBytes,
  MESSAGE_BYTES_EXPECTED,
  normalizeFingerprint,
  readTokenFile,
  tokenProblem,
  UsageError,
} from "../config/index.ts";
import { DASHBOARD_MESSAGE_BYTES } from "../peer/open-socket.ts";
import { loadTui } from "../tui/load.ts";
import {
  PROFILE_NAME,
  PROFILE_NAME_EXPECTED,
  type Profile,
  permissionWarning,
  profilesPath,
  readProfiles,
  saveProfile,
} from "../tui/profiles.ts";
import { DEFAULT_NODE_URL, looksLikeUrl, normalizeNodeUrl } from "../tui/url.ts";
import type { FlagValues } from "./flag-values.ts";

export const tuiArgs = {
  target: {
    type: "positional",
    required: false,
    description: `node URL (http(s)://HOST:PORT) or saved profile name; default ${DEFAULT_NODE_URL}, the node on this machine`,
    valueHint: "URL|PROFILE",
  },
  token: {
    type: "string",
    description:
      "the node's token (every local user sees it in ps: prefer --token-file; env HWM_TOKEN; a profile's own token comes before HWM_TOKEN)",
    valueHint: "TOKEN",
  },
  "token-file": {
    type: "string",
    description: "read the node's token from FILE (a receiver's: its dashboard secret)",
    valueHint: "FILE",
  },
  fingerprint: {
    type: "string",
    description: "trust the node's TLS certificate by its fingerprint instead of the system CAs",
    valueHint: "sha256:HEX",
  },
  "interval-ms": {
    type: "string",
    description: "how often a sender is asked (default 1000; a receiver pushes at its own pace)",
    valueHint: "N",
  },
  save: {
    type: "string",
    description:
      "save URL with --token and --fingerprint as profile NAME in $XDG_CONFIG_HOME/hwm/profiles.toml (default ~/.config/hwm; mode 0600, it stores the token), then exit",
    valueHint: "NAME",
  },
  list: { type: "boolean", description: "list the saved profiles (tokens not shown), then exit" },
  "max-message-bytes": {
    type: "string",
    description: `the largest message taken from the node; a larger one closes the connection (default ${DASHBOARD_MESSAGE_BYTES})`,
    valueHint: "N",
  },
} as const satisfies ArgsDef;

export type TuiArgs = FlagValues<typeof tuiArgs>;

export interface Connection {
  url: string;
  token: string | null;
  fingerprint: string | null;
  intervalMs: number;
  maxMessageBytes: number;
}

function checkedUrl(text: string): string {
  const url = normalizeNodeUrl(text);
  if (typeof url !== "string") throw new UsageError(url.problem);
  return url;
}

function checkedToken(where: string, token: string | undefined): string | null {
  if (token === undefined || token === "") return null;
  const problem = tokenProblem(token);
  if (problem) throw new UsageError(`${where}: ${problem}`);
  return token;
}

/** --token, or the contents of --token-file (which keeps the token out of `ps`). */
function tokenFromFlags(args: TuiArgs): string | null {
  const file = args["token-file"];
  if (file === undefined) return checkedToken("--token", args.token);
  if (args.token !== undefined)
    throw new UsageError("--token-file: expected either --token or --token-file, not both");
  const fromFile = readTokenFile(resolve(file));
  if ("problem" in fromFile) throw new UsageError(`--token-file: ${fromFile.problem}`);
  return fromFile.token;
}

function checkedFingerprint(where: string, text: string | undefined): string | null {
  if (text === undefined) return null;
  const fingerprint = normalizeFingerprint(text);
  if (!fingerprint)
    throw new UsageError(`${where}: expected ${FINGERPRINT_EXPECTED}, got ${JSON.stringify(text)}`);
  return fingerprint;
}

/** Where to connect and how: flags > the profile > HWM_TOKEN > the local default. */
export function resolveConnection(
  args: TuiArgs,
  env: Record<string, string | undefined>,
  profiles: () => Record<string, Profile>,
): Connection {
  const interval = args["interval-ms"];
  if (interval !== undefined && !(/^\d+$/.test(interval) && isIntervalMs(Number(interval)))) {
    throw new UsageError(
      `--interval-ms: expected ${INTERVAL_EXPECTED}, got ${JSON.stringify(interval)}`,
    );
  }
  const intervalMs = interval === undefined ? 1000 : Number(interval);
  const maxBytes = args["max-message-bytes"];
  if (maxBytes !== undefined && !(/^\d+$/.test(maxBytes) && isMessageBytes(Number(maxBytes)))) {
    throw new UsageError(
      `--max-message-bytes: expected ${MESSAGE_BYTES_EXPECTED}, got ${JSON.stringify(maxBytes)}`,
    );
  }
  const maxMessageBytes = maxBytes === undefined ? DASHBOARD_MESSAGE_BYTES : Number(maxBytes);
  const flagToken = tokenFromFlags(args);
  const flagFingerprint = checkedFingerprint("--fingerprint", args.fingerprint);
  const envToken = () => checkedToken("HWM_TOKEN", env.HWM_TOKEN);
  const target = args.target;
  if (target === undefined || looksLikeUrl(target)) {
    return {
      url: checkedUrl(target ?? DEFAULT_NODE_URL),
      token: flagToken ?? envToken(),
      fingerprint: flagFingerprint,
      intervalMs,
      maxMessageBytes,
    };
  }
  const all = profiles();
  const profile = all[target];
  if (!profile) {
    const names = Object.keys(all);
    throw new UsageError(
      `no profile ${JSON.stringify(target)}${names.length ? ` (saved: ${names.join(", ")})` : ""}; give a URL such as http://${target}:7070 or save one with --save ${target} URL`,
    );
  }
  return {
    url: checkedUrl(profile.url),
    token: flagToken ?? checkedToken(`profile ${target}: token`, profile.token) ?? envToken(),
    fingerprint:
      flagFingerprint ?? checkedFingerprint(`profile ${target}: fingerprint`, profile.fingerprint),
    intervalMs,
    maxMessageBytes,
  };
}

function save(args: TuiArgs, path: string): void {
  const name = args.save ?? "";
  if (!PROFILE_NAME.test(name))
    throw new UsageError(`--save: expected ${PROFILE_NAME_EXPECTED}, got ${JSON.stringify(name)}`);
  if (args.target === undefined)
    throw new UsageError(
      `--save ${name} needs the node URL: hwm tui --save ${name} URL [--token T]`,
    );
  const profile: Profile = { url: checkedUrl(args.target) };
  const token = tokenFromFlags(args);
  if (token) profile.token = token;
  const fingerprint = checkedFingerprint("--fingerprint", args.fingerprint);
  if (fingerprint) profile.fingerprint = fingerprint;
  saveProfile(path, name, profile);
  console.log(
    `saved profile ${name} (${profile.url}${token ? ", with its token" : ""}) in ${path}`,
  );
}

function list(path: string): void {
  const profiles = readProfiles(path);
  const names = Object.keys(profiles).sort();
  if (names.length === 0) {
    console.log(`no saved profiles (${path}); add one: hwm tui --save NAME URL --token TOKEN`);
    return;
  }
  const width = Math.max(...names.map((n) => n.length));
  for (const name of names) {
    const p = profiles[name];
    if (!p) continue;
    const extras = [p.token ? "token" : null, p.fingerprint ? "pinned certificate" : null].filter(
      Boolean,
    );
    console.log(
      `${name.padEnd(width)}  ${p.url}${extras.length ? `  (${extras.join(", ")})` : ""}`,
    );
  }
}

export default defineCommand({
  meta: {
    name: "tui",
    description:
      "Attach the terminal dashboard to a running node: this machine's (default), a URL, or a saved profile.",
  },
  args: tuiArgs,
  async run({ args }) {
    const path = profilesPath();
    const warning = permissionWarning(path);
    if (warning) console.error(`hwm: warning: ${warning}`);
    if (args.token !== undefined)
      console.error(
        "hwm: warning: --token is visible to every user of this machine (ps): use --token-file FILE or HWM_TOKEN",
      );
    if (args.list) return list(path);
    if (args.save !== undefined) return save(args, path);
    const connection = resolveConnection(args, process.env, () => readProfiles(path));
    if (!process.stdout.isTTY || !process.stdin.isTTY) {
      throw new UsageError("hwm tui needs a terminal (stdin and stdout a TTY)");
    }
    const loaded = await loadTui();
    if (!loaded.ok) throw new Error(`${loaded.message} (${loaded.reason})`);
    const session = await loaded.tui.startTui(connection);
    const stop = () => void session.stop();
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
    for (const signal of signals) process.on(signal, stop);
    try {
      await session.done;
    } finally {
      for (const signal of signals) process.off(signal, stop);
    }
  },
});
