// Reading the config file: TOML syntax (with the line of a syntax error), the schema, the
// cross-key rules, and the files it points at (token_file, certificates).
import { accessSync, constants, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import * as v from "valibot";
import { crossCheck } from "./crosscheck.ts";
import { formatProblem, type Problem, problemsFromIssues } from "./problems.ts";
import { tokenProblem } from "./rules.ts";
import { type ConfigFile, ConfigFileSchema } from "./schema.ts";

/** Reads a whole text file; injected by tests, plain fs otherwise. */
export type ReadText = (path: string) => string;
export const readText: ReadText = (path) => readFileSync(path, "utf8");

/** Why a file could not be read, in words ("does not exist", "permission denied"). */
export function fsReason(err: unknown): string {
  const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";
  switch (code) {
    case "ENOENT":
      return "does not exist";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory, not a file";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

export type LoadedFile =
  | { kind: "unreadable"; reason: string }
  /** `config` is null when there are problems; each problem line starts with the file path. */
  | { kind: "read"; config: ConfigFile | null; problems: string[] };

export function loadConfigFile(path: string, read: ReadText = readText): LoadedFile {
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    return { kind: "unreadable", reason: fsReason(err) };
  }
  return { kind: "read", ...parseConfigText(text, path) };
}

/** Parse and validate config text; `file` names it in messages and anchors relative paths. */
export function parseConfigText(
  text: string,
  file: string,
): { config: ConfigFile | null; problems: string[] } {
  let raw: unknown;
  try {
    raw = Bun.TOML.parse(text);
  } catch (err) {
    return { config: null, problems: [formatProblem(file, tomlSyntaxProblem(text, err))] };
  }
  const result = v.safeParse(ConfigFileSchema, raw, { abortEarly: false });
  const problems = [
    ...(result.success ? [] : problemsFromIssues(result.issues)),
    ...crossCheck(raw),
  ];
  return {
    config: result.success && problems.length === 0 ? result.output : null,
    problems: problems.map((p) => formatProblem(file, p)),
  };
}

// Bun's TOML errors carry no position in the TOML text. The walk back line by line (for files
// where halving missed) parses up to this many prefixes.
const MAX_LINES_TO_WALK = 2000;

/**
 * Bun.TOML.parse reports what is wrong but not where. The line is recovered from prefixes: it
 * is the first line after which no prefix of the file parses again, provided that prefix fails
 * with the same message (so a half-read multi-line array is not blamed instead). Halving finds
 * it in a few dozen parses; where a half-read array misleads the halving, a small file is walked
 * back line by line.
 */
function tomlSyntaxProblem(text: string, err: unknown): Problem {
  const message = err instanceof Error ? err.message : String(err);
  const reason = message.replace(/^TOML Parse error:\s*/, "");
  // ends[n] is where the first n lines end, their newline included: a prefix then fails the
  // way the whole text does ("…; newlines must be escaped" needs the newline).
  const ends = [0];
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) ends.push(at + 1);
  if (ends[ends.length - 1] !== text.length) ends.push(text.length);
  const prefix = (n: number): string => text.slice(0, ends[n]);
  const last = ends.length - 1;
  // prefix(ok) parses, prefix(bad) fails.
  let ok = 0;
  let bad = last;
  while (bad - ok > 1) {
    const mid = (ok + bad) >> 1;
    if (failsWith(prefix(mid)) === null) ok = mid;
    else bad = mid;
  }
  let line: number | null = bad > 0 && failsWith(prefix(bad)) === message ? bad : null;
  if (line === null && last <= MAX_LINES_TO_WALK) {
    let n = last;
    while (n > 0 && failsWith(prefix(n - 1)) !== null) n--;
    if (n > 0 && failsWith(prefix(n)) === message) line = n;
  }
  return {
    path: [],
    message: `${line === null ? "" : `line ${line}: `}not valid TOML: ${reason}`,
  };
}

function failsWith(text: string): string | null {
  try {
    Bun.TOML.parse(text);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** A path from the config file, taken relative to the file's own directory (as Prometheus does). */
export function resolveFrom(configPath: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(configPath), path);
}

/** The token kept in `token_file`, trimmed of the newline editors add, or a problem. */
export function readTokenFile(
  path: string,
  read: ReadText = readText,
): { token: string } | { problem: string } {
  let token: string;
  try {
    token = read(path).trim();
  } catch (err) {
    return { problem: `cannot read token file ${JSON.stringify(path)}: ${fsReason(err)}` };
  }
  const bad = tokenProblem(token);
  return bad === null ? { token } : { problem: `in token file ${JSON.stringify(path)}: ${bad}` };
}

/** A certificate or key file that the server will need at start; checked now for a clear message. */
export type CanRead = (path: string) => string | null;
export const canRead: CanRead = (path) => {
  try {
    accessSync(path, constants.R_OK);
    return null;
  } catch (err) {
    return fsReason(err);
  }
};

/** Problems with the files a valid config points at, relative paths taken from the config's directory. */
export function fileReferenceProblems(
  config: ConfigFile,
  configPath: string,
  check: CanRead = canRead,
): Problem[] {
  const refs: { path: (string | number)[]; file: string }[] = [];
  if (config.tls) {
    refs.push(
      { path: ["tls", "cert"], file: config.tls.cert },
      { path: ["tls", "key"], file: config.tls.key },
    );
    if (config.tls.ca !== undefined) refs.push({ path: ["tls", "ca"], file: config.tls.ca });
  }
  (config.senders ?? []).forEach((sender, i) => {
    if (sender.ca !== undefined) refs.push({ path: ["senders", i, "ca"], file: sender.ca });
  });
  return refs.flatMap(({ path, file }) => {
    const absolute = resolveFrom(configPath, file);
    const reason = check(absolute);
    return reason === null
      ? []
      : [{ path, message: `cannot read ${JSON.stringify(absolute)}: ${reason}` }];
  });
}
