// Structured one-line logging (logfmt) with levels, for headless and systemd runs.
import { escapeUnsafe, hasUnsafe } from "./safe-text.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * Values can come from other machines (host names, error messages): control and bidi characters
 * are escaped, so that a value can neither end the line (a forged entry) nor drive the terminal
 * that tails the log, nor reorder what a reader sees.
 */
function quote(value: string): string {
  if (/^[^\s"=]+$/.test(value) && !hasUnsafe(value)) return value;
  return escapeUnsafe(JSON.stringify(value));
}

/** `2026-11-22T04:40:00.000Z info listening addr=127.0.0.1:7070 role=sender` */
export function formatLine(level: LogLevel, msg: string, fields: LogFields = {}): string {
  let line = `${new Date().toISOString()} ${level} ${escapeUnsafe(msg)}`;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    line += ` ${key}=${quote(String(value))}`;
  }
  return line;
}

export function createLogger(
  minLevel: LogLevel = "info",
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  const at =
    (level: LogLevel) =>
    (msg: string, fields?: LogFields): void => {
      if (RANK[level] >= RANK[minLevel]) write(formatLine(level, msg, fields));
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** For tests and library use: drops everything. */
export const silentLogger: Logger = createLogger("error", () => {});
