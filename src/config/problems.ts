// Where a problem is: config key paths such as `senders[1].url`, and problems as printed lines.
import type * as v from "valibot";

export type KeyPath = readonly (string | number)[];

/** One thing wrong in a config file, at a key path (empty: the file as a whole). */
export interface Problem {
  path: KeyPath;
  message: string;
}

/** `senders[1].url`; keys that TOML would have to quote are quoted here too. */
export function formatKeyPath(path: KeyPath): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else {
      const bare = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
      out += out === "" ? bare : `.${bare}`;
    }
  }
  return out;
}

/** `/etc/hwm/hwm.toml: senders[1].url: expected …` */
export function formatProblem(file: string, problem: Problem): string {
  const where = formatKeyPath(problem.path);
  return where === "" ? `${file}: ${problem.message}` : `${file}: ${where}: ${problem.message}`;
}

/** valibot issues as problems; the schema wrote the messages, the path comes from the issue. */
export function problemsFromIssues(issues: readonly v.BaseIssue<unknown>[]): Problem[] {
  return issues.map((issue) => ({
    path: (issue.path ?? []).map((item) =>
      typeof item.key === "number" ? item.key : String(item.key),
    ),
    message: issue.message,
  }));
}
