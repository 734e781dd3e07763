// The effective configuration every other module receives, and the flags it is resolved from.
import type { LogLevel } from "../log.ts";
import type { ListenAddress } from "./listen.ts";
import type { NOTIFIER_TYPES, ROLES } from "./rules.ts";

export type Role = (typeof ROLES)[number];
export type NotifierType = (typeof NOTIFIER_TYPES)[number];
export type { LogLevel };

/** The command-line flags as citty hands them over (undefined: not given). */
export interface CliFlags {
  role?: string;
  config?: string;
  listen?: string;
  token?: string;
  "interval-ms"?: string;
  /** false for --no-tui. */
  tui?: boolean;
  "log-level"?: string;
  procfs?: string;
  sysfs?: string;
}

export interface SenderConfig {
  /** The host id, unique in the fleet. */
  name: string;
  url: string;
  /** null: use the receiver's own token. */
  token: string | null;
  /** "sha256:" and 64 lowercase hex digits, colons removed; null: no pinning. */
  fingerprint: string | null;
  /** CA file (absolute when given relative to the config file); null: system CAs. */
  ca: string | null;
}

export interface Config {
  role: Role;
  /** host without brackets for IPv6. */
  listen: ListenAddress;
  /** From --token, HWM_TOKEN, token or the trimmed contents of token_file; null: none (loopback only). */
  token: string | null;
  intervalMs: number;
  /** false when --no-tui; whether stdout is a TTY is the caller's business. */
  tui: boolean;
  logLevel: LogLevel;
  procfs: string;
  sysfs: string;
  /** Paths from the config file, made absolute against the config file's directory. */
  tls: { cert: string; key: string; ca: string | null } | null;
  dashboard: { allowedOrigins: string[] };
  senders: SenderConfig[];
  /** path null: the caller picks the XDG state directory. */
  history: { enabled: boolean; intervalMs: number; path: string | null };
  notifiers: { name: string; type: NotifierType; url: string }[];
  alerts: { name: string; when: string; forMs: number; hosts: string[]; notify: string[] }[];
  /** Absolute path of the config file read, so a receiver can re-read it; null: none. */
  configPath: string | null;
}
