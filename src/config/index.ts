// The config module's one face: everything outside src/config/ imports from here. Flags (their
// definitions in commands/run-args.ts give their types) > environment > file > defaults → Config.
export { ConfigError, UsageError } from "./errors.ts";
export { readTokenFile } from "./file.ts";
export { formatListen, isLoopbackHost, parseListen } from "./listen.ts";
export { checkConfigFile, DEFAULTS, resolveConfig } from "./load.ts";
export {
  DEFAULT_SESSION_LIFETIME_MS,
  FINGERPRINT_EXPECTED,
  INTERVAL_EXPECTED,
  isIntervalMs,
  isMessageBytes,
  MESSAGE_BYTES,
  MESSAGE_BYTES_EXPECTED,
  normalizeFingerprint,
  parseDurationMs,
  ROLES,
  tokenProblem,
} from "./rules.ts";
export { generateToken } from "./token.ts";
export type {
  AlertConfig,
  CliFlags,
  Config,
  HistoryConfig,
  NotifierConfig,
  Role,
  SenderConfig,
} from "./types.ts";
export { startupWarnings } from "./warnings.ts";
