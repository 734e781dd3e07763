// The effective Config: flags > environment > config file > defaults, every problem of every
// source gathered into one ConfigError, and the refusal to listen beyond loopback without a token.
import { resolve } from "node:path";
import { parseCondition } from "../alerts/condition.ts";
import { parseSilence, type SilenceWindow } from "../alerts/silence.ts";
import { ConfigError } from "./errors.ts";
import {
  type CanRead,
  canRead,
  fileReferenceProblems,
  fsReason,
  loadConfigFile,
  parseConfigText,
  type ReadText,
  readText,
  readTokenFile,
  resolveFrom,
} from "./file.ts";
import { formatListen, isLoopbackHost, type ListenAddress, parseListen } from "./listen.ts";
import { formatProblem } from "./problems.ts";
import {
  DEFAULT_SESSION_LIFETIME_MS,
  HEALTH_MAX_AGE,
  HEALTH_TOOL_TIMEOUT,
  HISTORY_DEFAULTS,
  INTERVAL_EXPECTED,
  isIntervalMs,
  LOG_LEVELS,
  MESSAGE_BYTES,
  normalizeFingerprint,
  oneOf,
  parseDurationMs,
  ROLES,
  secretProblem,
  tokenProblem,
} from "./rules.ts";
import type { ConfigFile } from "./schema.ts";
import type { CliFlags, Config, LogLevel, Role } from "./types.ts";

export { ConfigError, UsageError } from "./errors.ts";
export { isLoopbackHost } from "./listen.ts";
export type { CliFlags, Config } from "./types.ts";

export const DEFAULTS = {
  role: "both",
  listen: "127.0.0.1:7070",
  intervalMs: 1000,
  logLevel: "info",
  procfs: "/proc",
  sysfs: "/sys",
  pveDir: "/etc/pve",
} as const;

/** File access, injectable so tests need no real certificates. */
export interface ConfigIo {
  read?: ReadText;
  canRead?: CanRead;
}

type Parsed<T> = { value: T } | { problem: string };

const parseRole = (text: string): Parsed<Role> =>
  (ROLES as readonly string[]).includes(text)
    ? { value: text as Role }
    : { problem: `expected ${oneOf(ROLES)}, got ${JSON.stringify(text)}` };

const parseLogLevel = (text: string): Parsed<LogLevel> =>
  (LOG_LEVELS as readonly string[]).includes(text)
    ? { value: text as LogLevel }
    : { problem: `expected ${oneOf(LOG_LEVELS)}, got ${JSON.stringify(text)}` };

const parseInterval = (text: string): Parsed<number> =>
  /^\d+$/.test(text) && isIntervalMs(Number(text))
    ? { value: Number(text) }
    : { problem: `expected ${INTERVAL_EXPECTED}, got ${JSON.stringify(text)}` };

const parseListenText = (text: string): Parsed<ListenAddress> => {
  const parsed = parseListen(text);
  return typeof parsed === "string" ? { problem: parsed } : { value: parsed };
};

const parseToken = (text: string): Parsed<string> => {
  const problem = tokenProblem(text);
  return problem === null ? { value: text } : { problem };
};

const parseDirectory = (text: string): Parsed<string> =>
  text !== "" ? { value: text } : { problem: 'expected a directory path, got ""' };

/** An environment variable counts only when set and not empty (`HWM_TOKEN= hwm` unsets it). */
function fromEnv(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** Gathers problems while values are parsed, so that all of them are reported together. */
class Problems {
  readonly lines: string[] = [];

  /** The parsed value of a flag or variable; undefined when absent or bad (then noted). */
  take<T>(
    where: string,
    text: string | undefined,
    parse: (text: string) => Parsed<T>,
  ): T | undefined {
    if (text === undefined) return undefined;
    const parsed = parse(text);
    if ("problem" in parsed) {
      this.lines.push(`${where}: ${parsed.problem}`);
      return undefined;
    }
    return parsed.value;
  }
}

export function resolveConfig(
  flags: CliFlags,
  env: Record<string, string | undefined>,
  io: ConfigIo = {},
): Config {
  const read = io.read ?? readText;
  const problems = new Problems();

  const role = problems.take("--role", flags.role, parseRole);
  const listenFlag = problems.take("--listen", flags.listen, parseListenText);
  const intervalMs = problems.take("--interval-ms", flags["interval-ms"], parseInterval);
  const logLevel = problems.take("--log-level", flags["log-level"], parseLogLevel);
  const procfs = problems.take("--procfs", flags.procfs, parseDirectory);
  const sysfs = problems.take("--sysfs", flags.sysfs, parseDirectory);
  const pveDir = problems.take("--pve-dir", flags["pve-dir"], parseDirectory);
  const flagToken = problems.take("--token", flags.token, parseToken);
  const envToken = problems.take("HWM_TOKEN", fromEnv(env, "HWM_TOKEN"), parseToken);
  // A bad token anywhere makes "is there a token?" unanswerable: skip the loopback rule then.
  let tokenBroken =
    (flags.token !== undefined && flagToken === undefined) ||
    (fromEnv(env, "HWM_TOKEN") !== undefined && envToken === undefined);
  const secretFiles: string[] = [];
  // --token-file: what --token gives, without putting the secret where `ps` shows it.
  let flagFileToken: string | undefined;
  const tokenFileFlag = flags["token-file"];
  if (tokenFileFlag !== undefined && flags.token !== undefined) {
    problems.lines.push("--token-file: expected either --token or --token-file, not both");
    tokenBroken = true;
  } else if (tokenFileFlag !== undefined) {
    const fromFile =
      tokenFileFlag === ""
        ? { problem: 'expected the path of a token file, got ""' }
        : readTokenFile(resolve(tokenFileFlag), read);
    if ("token" in fromFile) {
      flagFileToken = fromFile.token;
      secretFiles.push(resolve(tokenFileFlag));
    } else {
      problems.lines.push(`--token-file: ${fromFile.problem}`);
      tokenBroken = true;
    }
  }

  // The config file: --config beats HWM_CONFIG; there is no implicit default location.
  const configSource =
    flags.config !== undefined
      ? { where: "--config", path: flags.config }
      : fromEnv(env, "HWM_CONFIG") !== undefined
        ? { where: "HWM_CONFIG", path: fromEnv(env, "HWM_CONFIG") ?? "" }
        : null;
  let file: ConfigFile | null = null;
  let fileBroken = false;
  if (configSource !== null) {
    const { where, path } = configSource;
    if (path === "") {
      problems.lines.push(`${where}: expected the path of a TOML config file, got ""`);
      fileBroken = true;
    } else {
      const loaded = loadConfigFile(path, read);
      if (loaded.kind === "unreadable") {
        problems.lines.push(
          `${where}: cannot read config file ${JSON.stringify(path)}: ${loaded.reason}`,
        );
        fileBroken = true;
      } else {
        problems.lines.push(...loaded.problems);
        file = loaded.config;
        fileBroken = loaded.config === null;
        if (file !== null) {
          problems.lines.push(
            ...fileReferenceProblems(file, path, io.canRead ?? canRead).map((p) =>
              formatProblem(path, p),
            ),
          );
        }
      }
    }
  }
  const configPath = configSource?.path || null;

  // The token: the first source that has one wins, and lower ones are not even read.
  let token: string | null = flagToken ?? flagFileToken ?? envToken ?? file?.token ?? null;
  if (token === null && !tokenBroken && file?.token_file !== undefined && configPath !== null) {
    const fromFile = readTokenFile(resolveFrom(configPath, file.token_file), read);
    if ("token" in fromFile) {
      token = fromFile.token;
      secretFiles.push(resolveFrom(configPath, file.token_file));
    } else {
      problems.lines.push(
        formatProblem(configPath, { path: ["token_file"], message: fromFile.problem }),
      );
      tokenBroken = true;
    }
  }

  const fileListen = file?.listen !== undefined ? parseListen(file.listen) : undefined;
  const listen: ListenAddress | undefined =
    flags.listen !== undefined
      ? listenFlag
      : fileListen !== undefined && typeof fileListen !== "string"
        ? fileListen
        : (parseListen(DEFAULTS.listen) as ListenAddress);

  // Anyone who can reach a non-loopback port could read the fleet without a token.
  if (
    listen !== undefined &&
    token === null &&
    !tokenBroken &&
    !fileBroken &&
    !isLoopbackHost(listen.host)
  ) {
    const where =
      flags.listen !== undefined
        ? `--listen ${flags.listen}`
        : `${configPath}: listen ${JSON.stringify(file?.listen ?? formatListen(listen))}`;
    problems.lines.push(
      `${where} needs a token: pass --token-file, set HWM_TOKEN or token/token_file in the config (make one with "hwm token")`,
    );
  }

  const secrets =
    configPath === null || file === null ? new Map() : readSecrets(file, configPath, read);
  for (const [, secret] of secrets) if ("problem" in secret) problems.lines.push(secret.problem);

  const resolvedRole = role ?? file?.role ?? DEFAULTS.role;
  if (resolvedRole === "receiver" && configPath !== null) {
    for (const key of ["health", "custom"] as const) {
      if (file?.[key] === undefined) continue;
      problems.lines.push(
        `${configPath}: ${key}: expected only on a sender (role "sender" or "both"): it sets what this node reports about itself, but this node's role is "receiver"`,
      );
    }
  }
  if (resolvedRole === "sender" && configPath !== null) {
    for (const key of ["history", "alerts", "notifiers"] as const) {
      if (file?.[key] === undefined) continue;
      problems.lines.push(
        `${configPath}: ${key}: expected only on a receiver (role "receiver" or "both"): a sender answers requests and keeps nothing, but this node's role is "sender"`,
      );
    }
    for (const key of ["token", "token_file", "session_lifetime"] as const) {
      if (file?.dashboard?.[key] === undefined) continue;
      problems.lines.push(
        `${configPath}: dashboard.${key}: expected only on a receiver (role "receiver" or "both"): a sender has no dashboard`,
      );
    }
  }

  const dashboardToken =
    configPath === null || file === null ? null : readDashboardToken(file, configPath, read);
  if (dashboardToken && "problem" in dashboardToken) problems.lines.push(dashboardToken.problem);
  if (dashboardToken && "value" in dashboardToken) {
    if (file?.dashboard?.token_file !== undefined && configPath !== null)
      secretFiles.push(resolveFrom(configPath, file.dashboard.token_file));
    // The cross-key check compared it with a token in the same file; this one catches a fleet
    // token from a flag, the environment or token_file.
    if (token !== null && dashboardToken.value === token) {
      problems.lines.push(
        `${configPath}: dashboard: expected a login secret of its own, not the fleet token: every sender knows that one (make one with "hwm token")`,
      );
    }
  }
  if (configPath !== null && file !== null) {
    // A private key others can read is a secret others have.
    if (file.tls !== undefined) secretFiles.push(resolveFrom(configPath, file.tls.key));
    if (file.history?.token_file !== undefined)
      secretFiles.push(resolveFrom(configPath, file.history.token_file));
    for (const n of file.notifiers ?? [])
      if (n.token_file !== undefined) secretFiles.push(resolveFrom(configPath, n.token_file));
  }

  if (problems.lines.length > 0 || listen === undefined) throw new ConfigError(problems.lines);
  const secretOf = (where: string): string | null => {
    const secret = secrets.get(where);
    return secret && "value" in secret ? secret.value : null;
  };
  return buildConfig(file, configPath, secretOf, {
    dashboardToken: dashboardToken && "value" in dashboardToken ? dashboardToken.value : null,
    secretSources: {
      tokenOnCommandLine: flags.token !== undefined,
      files: [...new Set(secretFiles)],
      inConfigFile:
        file !== null &&
        (file.token !== undefined ||
          file.dashboard?.token !== undefined ||
          (file.senders ?? []).some((s) => s.token !== undefined) ||
          (file.notifiers ?? []).some((n) => n.token !== undefined)),
    },
    role: resolvedRole,
    listen,
    token,
    intervalMs: intervalMs ?? file?.interval_ms ?? DEFAULTS.intervalMs,
    tui: flags.tui !== false,
    logLevel: logLevel ?? DEFAULTS.logLevel,
    procfs: procfs ?? DEFAULTS.procfs,
    sysfs: sysfs ?? DEFAULTS.sysfs,
    pveDir: pveDir ?? DEFAULTS.pveDir,
  });
}

type Resolved = Pick<
  Config,
  | "role"
  | "listen"
  | "token"
  | "intervalMs"
  | "tui"
  | "logLevel"
  | "procfs"
  | "sysfs"
  | "pveDir"
  | "secretSources"
> & { dashboardToken: string | null };

type Secret = { value: string } | { problem: string };

/** The dashboard's own login secret: dashboard.token, or the contents of dashboard.token_file. */
function readDashboardToken(file: ConfigFile, configPath: string, read: ReadText): Secret | null {
  const dashboard = file.dashboard;
  if (dashboard?.token !== undefined) return { value: dashboard.token };
  if (dashboard?.token_file === undefined) return null;
  const fromFile = readTokenFile(resolveFrom(configPath, dashboard.token_file), read);
  return "token" in fromFile
    ? { value: fromFile.token }
    : {
        problem: formatProblem(configPath, {
          path: ["dashboard", "token_file"],
          message: fromFile.problem,
        }),
      };
}

/** The secret files a valid config points at (notifiers' and Prometheus' token_file), by key path. */
function readSecrets(file: ConfigFile, configPath: string, read: ReadText): Map<string, Secret> {
  const secrets = new Map<string, Secret>();
  const take = (where: string, tokenFile: string | undefined) => {
    if (tokenFile === undefined) return;
    const path = resolveFrom(configPath, tokenFile);
    let value: string;
    try {
      value = read(path).trim();
    } catch (err) {
      secrets.set(where, {
        problem: `${configPath}: ${where}: cannot read token file ${JSON.stringify(path)}: ${fsReason(err)}`,
      });
      return;
    }
    const bad = secretProblem(value);
    secrets.set(
      where,
      bad === null
        ? { value }
        : { problem: `${configPath}: ${where}: in token file ${JSON.stringify(path)}: ${bad}` },
    );
  };
  take("history.token_file", file.history?.token_file);
  for (const [i, n] of (file.notifiers ?? []).entries())
    take(`notifiers[${i}].token_file`, n.token_file);
  return secrets;
}

/** The validated file's tables in Config's shape, with defaults filled in. */
function buildConfig(
  file: ConfigFile | null,
  configPath: string | null,
  secretOf: (where: string) => string | null,
  resolved: Resolved,
): Config {
  const at = (path: string): string => (configPath === null ? path : resolveFrom(configPath, path));
  const ms = (duration: string | undefined, fallback: number): number =>
    duration === undefined ? fallback : (parseDurationMs(duration) ?? fallback);
  const history = file?.history;
  const { dashboardToken, ...rest } = resolved;
  return {
    ...rest,
    maxMessageBytes: file?.max_message_bytes ?? MESSAGE_BYTES.default,
    tls: file?.tls
      ? {
          cert: at(file.tls.cert),
          key: at(file.tls.key),
          ca: file.tls.ca === undefined ? null : at(file.tls.ca),
        }
      : null,
    dashboard: {
      allowedOrigins: file?.dashboard?.allowed_origins ?? [],
      token: dashboardToken,
      sessionLifetimeMs: ms(file?.dashboard?.session_lifetime, DEFAULT_SESSION_LIFETIME_MS),
    },
    senders: (file?.senders ?? []).map((s) => ({
      name: s.name,
      url: s.url,
      token: s.token ?? null,
      fingerprint: s.fingerprint === undefined ? null : normalizeFingerprint(s.fingerprint),
      ca: s.ca === undefined ? null : at(s.ca),
    })),
    history: {
      enabled: history?.enabled ?? false,
      intervalMs: history?.interval_ms ?? HISTORY_DEFAULTS.intervalMs,
      backend: history?.backend ?? "sqlite",
      path: history?.path === undefined ? null : at(history.path),
      rawRetentionMs: ms(history?.raw_retention, HISTORY_DEFAULTS.rawRetentionMs),
      rollups: history?.rollups
        ? history.rollups.map((r) => ({ stepMs: ms(r.step, 0), retentionMs: ms(r.retention, 0) }))
        : HISTORY_DEFAULTS.rollups.map((r) => ({ ...r })),
      prometheus:
        history?.backend === "prometheus" && history.url !== undefined
          ? {
              url: history.url.replace(/\/+$/, ""),
              token: secretOf("history.token_file"),
              label: history.label ?? "instance",
            }
          : null,
    },
    notifiers: (file?.notifiers ?? []).map((n, i) => ({
      name: n.name,
      type: n.type,
      url: n.url,
      token: n.token ?? secretOf(`notifiers[${i}].token_file`),
    })),
    alerts: (file?.alerts ?? []).flatMap((a) => {
      // The schema has parsed these already; a failure here cannot happen.
      const condition = parseCondition(a.when);
      if ("error" in condition) return [];
      return [
        {
          name: a.name,
          when: a.when,
          condition,
          forMs: ms(a.for, 0),
          repeatMs: a.repeat === undefined ? null : ms(a.repeat, 0),
          hosts: a.hosts ?? ["*"],
          notify: a.notify ?? [],
          silence: (a.silence ?? []).flatMap((text): SilenceWindow[] => {
            const window = parseSilence(text);
            return "error" in window ? [] : [window];
          }),
        },
      ];
    }),
    health: {
      enabled: file?.health?.enabled ?? true,
      maxAgeMs: ms(file?.health?.max_age, HEALTH_MAX_AGE.defaultMs),
      toolTimeoutMs: ms(file?.health?.tool_timeout, HEALTH_TOOL_TIMEOUT.defaultMs),
    },
    custom: {
      textfileDir: file?.custom === undefined ? null : at(file.custom.textfile_dir),
    },
    configPath: configPath === null ? null : resolve(configPath),
  };
}

/**
 * `hwm check-config FILE`: every problem of the file on its own (syntax, schema, cross-key
 * rules, unreadable token_file or certificates); [] when it is valid.
 */
export function checkConfigFile(path: string, io: ConfigIo = {}): string[] {
  const read = io.read ?? readText;
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    return [`${path}: cannot read config file: ${fsReason(err)}`];
  }
  const { config, problems } = parseConfigText(text, path);
  if (config === null) return problems;
  const references = fileReferenceProblems(config, path, io.canRead ?? canRead);
  if (config.token_file !== undefined) {
    const fromFile = readTokenFile(resolveFrom(path, config.token_file), read);
    if ("problem" in fromFile) references.push({ path: ["token_file"], message: fromFile.problem });
  }
  const dashboardToken = readDashboardToken(config, path, read);
  const dashboardProblems =
    dashboardToken && "problem" in dashboardToken ? [dashboardToken.problem] : [];
  const secrets = [...readSecrets(config, path, read).values()].flatMap((s) =>
    "problem" in s ? [s.problem] : [],
  );
  return [...references.map((p) => formatProblem(path, p)), ...dashboardProblems, ...secrets];
}
