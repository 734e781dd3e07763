// The effective configuration every other module receives, and the flags it is resolved from.

import type { Condition } from "../alerts/condition.ts";
import type { SilenceWindow } from "../alerts/silence.ts";
import type { FlagValues } from "../commands/flag-values.ts";
import type { runArgs } from "../commands/run-args.ts";
import type { LogLevel } from "../log.ts";
import type { ListenAddress } from "./listen.ts";
import type { HISTORY_BACKENDS, NOTIFIER_TYPES, PROMETHEUS_LABELS, ROLES } from "./rules.ts";

export type Role = (typeof ROLES)[number];
export type NotifierType = (typeof NOTIFIER_TYPES)[number];
export type HistoryBackend = (typeof HISTORY_BACKENDS)[number];
export type PrometheusLabel = (typeof PROMETHEUS_LABELS)[number];
export type { LogLevel };

/** The run flags as citty hands them over: their definitions in commands/run-args.ts type them. */
export type CliFlags = FlagValues<typeof runArgs>;

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
  /**
   * The fleet token, from --token, --token-file, HWM_TOKEN, token or token_file; null: none
   * (loopback only). What senders are asked with, and what this node's sender routes take.
   */
  token: string | null;
  intervalMs: number;
  /** The largest message (WebSocket frame or message) a receiver takes from a sender. */
  maxMessageBytes: number;
  /** false when --no-tui; whether stdout is a TTY is the caller's business. */
  tui: boolean;
  logLevel: LogLevel;
  procfs: string;
  sysfs: string;
  /** Where Proxmox VE keeps the guest configs (qemu-server/, lxc/): --pve-dir, default /etc/pve. */
  pveDir: string;
  /** Paths from the config file, made absolute against the config file's directory. */
  tls: { cert: string; key: string; ca: string | null } | null;
  dashboard: DashboardConfig;
  senders: SenderConfig[];
  history: HistoryConfig;
  notifiers: NotifierConfig[];
  alerts: AlertConfig[];
  /** The sender's health section ([health]). */
  health: { enabled: boolean; maxAgeMs: number; toolTimeoutMs: number };
  /** The sender's custom section: the textfile directory, absolute; null: none ([custom]). */
  custom: { textfileDir: string | null };
  /** Absolute path of the config file read, so a receiver can re-read it; null: none. */
  configPath: string | null;
  /** Where the secrets came from, for the warnings at start (secrets others can read). */
  secretSources: SecretSources;
}

export interface DashboardConfig {
  allowedOrigins: string[];
  /**
   * The login secret of the dashboard and of the receiver's routes, from dashboard.token or
   * dashboard.token_file; null: the fleet token (what every sender knows) serves as both.
   */
  token: string | null;
  /** A session ends this long after its login, used or not. */
  sessionLifetimeMs: number;
}

export interface SecretSources {
  /** The token was given with --token, which every local user can read in `ps`. */
  tokenOnCommandLine: boolean;
  /** Absolute paths of the files holding secrets: token files of every kind, the TLS key. */
  files: string[];
  /** The config file itself holds a secret (token, senders[].token, …). */
  inConfigFile: boolean;
}

export interface HistoryConfig {
  /** Record (sqlite) or read (prometheus) history; off: the history routes answer 404. */
  enabled: boolean;
  /** How often hosts are polled and recorded while nobody watches (also for alert rules). */
  intervalMs: number;
  backend: HistoryBackend;
  /** The SQLite file; null: the caller picks the state directory. */
  path: string | null;
  rawRetentionMs: number;
  /** Coarser tiers, each step a multiple of the one before. */
  rollups: { stepMs: number; retentionMs: number }[];
  /** backend prometheus: base URL of the query API, its bearer token, and the host label. */
  prometheus: { url: string; token: string | null; label: PrometheusLabel } | null;
}

export interface NotifierConfig {
  name: string;
  type: NotifierType;
  url: string;
  /** From token or token_file; null: none. */
  token: string | null;
}

export interface AlertConfig {
  name: string;
  /** As written in the config, for the API and messages. */
  when: string;
  condition: Condition;
  forMs: number;
  /** Notify again while it keeps firing; null: once. */
  repeatMs: number | null;
  /** Host ids or patterns with "*". */
  hosts: string[];
  notify: string[];
  silence: SilenceWindow[];
}
