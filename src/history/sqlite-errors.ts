// What went wrong with the history file, in words for users, from SQLite's error codes and a
// look at the directory (SQLite says "unable to open" for a missing directory and a read-only
// file system alike).
import { accessSync, constants, statSync } from "node:fs";
import { dirname } from "node:path";

export type FailureKind = "locked" | "full" | "readonly" | "damaged" | "io" | "cantopen" | "other";

export interface Failure {
  kind: FailureKind;
  /** One line for users, naming the file and what to do where there is something to do. */
  message: string;
  /** SQLite's code ("SQLITE_BUSY"), or the system's ("EROFS"), for the log's fields. */
  code: string;
}

function codeOf(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === "string") return code;
  }
  return "";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A system error about a directory, in words. */
export function directoryReason(error: unknown, dir: string): { code: string; reason: string } {
  const code = codeOf(error);
  if (code === "EROFS") return { code, reason: "read-only file system" };
  if (code === "EACCES" || code === "EPERM") return { code, reason: "permission denied" };
  if (code === "ENOSPC") return { code, reason: "disk full" };
  if (code === "ENOENT") return { code, reason: `directory ${dir} does not exist` };
  if (code === "ENOTDIR" || code === "EEXIST") {
    return { code, reason: `${dir} or a parent of it is not a directory` };
  }
  return { code, reason: messageOf(error) };
}

/** Why the file's directory cannot take it, or null when it looks writable. */
export function directoryProblem(path: string): { code: string; reason: string } | null {
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) {
      return { code: "ENOTDIR", reason: `${dir} is not a directory` };
    }
    accessSync(dir, constants.W_OK);
    return null;
  } catch (error) {
    return directoryReason(error, dir);
  }
}

export function describeFailure(error: unknown, path: string): Failure {
  const code = codeOf(error);
  const detail = messageOf(error);
  const cannotWrite = (reason: string, kind: FailureKind, why = code): Failure => ({
    kind,
    message: `cannot write history to ${path}: ${reason}`,
    code: why,
  });
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return {
      kind: "locked",
      message: `history file ${path} is locked by another process (another hwm receiver on the same file?)`,
      code,
    };
  }
  if (code === "SQLITE_FULL") return cannotWrite("disk full", "full");
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    return {
      kind: "damaged",
      message: `history file ${path} is damaged (${detail}): move it away or delete it; hwm starts a new one`,
      code,
    };
  }
  if (
    code.startsWith("SQLITE_READONLY") ||
    code.startsWith("SQLITE_IOERR") ||
    code.startsWith("SQLITE_CANTOPEN") ||
    code === "SQLITE_PERM"
  ) {
    const dir = directoryProblem(path);
    if (dir) {
      const kind =
        code.startsWith("SQLITE_CANTOPEN") && dir.code !== "EROFS" ? "cantopen" : "readonly";
      return cannotWrite(dir.reason, kind, `${code} ${dir.code}`);
    }
    if (code.startsWith("SQLITE_READONLY")) return cannotWrite("the file is read-only", "readonly");
    if (code.startsWith("SQLITE_CANTOPEN")) return cannotWrite(detail, "cantopen");
    return cannotWrite(`I/O error (${detail})`, "io");
  }
  return { kind: "other", message: `history file ${path}: ${detail}`, code: code || "unknown" };
}
