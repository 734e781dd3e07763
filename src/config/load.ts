// The effective Config: flags > environment > config file > defaults, every problem of every
// source gathered into one ConfigError, and the refusal to listen beyond loopback without a token.
import { resolve } from "node:path";
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
  INTERVAL_EXPECTED,
  isIntervalMs,
  LOG_LEVELS,
  normalizeFingerprint,
  oneOf,
  parseDurationMs,
  ROLES,
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
  historyIntervalMs: 10_000,
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
  const flagToken = problems.take("--token", flags.token, parseToken);
  const envToken = problems.take("HWM_TOKEN", fromEnv(env, "HWM_TOKEN"), parseToken);
  // A bad token anywhere makes "is there a token?" unanswerable: skip the loopback rule then.
  let tokenBroken =
    (flags.token !== undefined && flagToken === undefined) ||
    (fromEnv(env, "HWM_TOKEN") !== undefined && envToken === undefined);

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
  let token: string | null = flagToken ?? envToken ?? file?.token ?? null;
  if (token === null && !tokenBroken && file?.token_file !== undefined && configPath !== null) {
    const fromFile = readTokenFile(resolveFrom(configPath, file.token_file), read);
    if ("token" in fromFile) token = fromFile.token;
    else {
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

  // SPEC §6: anyone who can reach a non-loopback port could read the fleet without a token.
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
      `${where} needs a token: pass --token, set HWM_TOKEN or token/token_file in the config (make one with "hwm token")`,
    );
  }

  if (problems.lines.length > 0 || listen === undefined) throw new ConfigError(problems.lines);
  return buildConfig(file, configPath, {
    role: role ?? file?.role ?? DEFAULTS.role,
    listen,
    token,
    intervalMs: intervalMs ?? file?.interval_ms ?? DEFAULTS.intervalMs,
    tui: flags.tui !== false,
    logLevel: logLevel ?? DEFAULTS.logLevel,
    procfs: procfs ?? DEFAULTS.procfs,
    sysfs: sysfs ?? DEFAULTS.sysfs,
  });
}

type Resolved = Pick<
  Config,
  "role" | "listen" | "token" | "intervalMs" | "tui" | "logLevel" | "procfs" | "sysfs"
>;

/** The validated file's tables in Config's shape, with defaults filled in. */
function buildConfig(
  file: ConfigFile | null,
  configPath: string | null,
  resolved: Resolved,
): Config {
  const at = (path: string): string => (configPath === null ? path : resolveFrom(configPath, path));
  return {
    ...resolved,
    tls: file?.tls
      ? {
          cert: at(file.tls.cert),
          key: at(file.tls.key),
          ca: file.tls.ca === undefined ? null : at(file.tls.ca),
        }
      : null,
    dashboard: { allowedOrigins: file?.dashboard?.allowed_origins ?? [] },
    senders: (file?.senders ?? []).map((s) => ({
      name: s.name,
      url: s.url,
      token: s.token ?? null,
      fingerprint: s.fingerprint === undefined ? null : normalizeFingerprint(s.fingerprint),
      ca: s.ca === undefined ? null : at(s.ca),
    })),
    history: {
      enabled: file?.history?.enabled ?? false,
      intervalMs: file?.history?.interval_ms ?? DEFAULTS.historyIntervalMs,
      path: file?.history?.path === undefined ? null : at(file.history.path),
    },
    notifiers: (file?.notifiers ?? []).map((n) => ({ name: n.name, type: n.type, url: n.url })),
    alerts: (file?.alerts ?? []).map((a) => ({
      name: a.name,
      when: a.when,
      forMs: a.for === undefined ? 0 : (parseDurationMs(a.for) ?? 0),
      hosts: a.hosts ?? ["*"],
      notify: a.notify ?? [],
    })),
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
  return references.map((p) => formatProblem(path, p));
}
