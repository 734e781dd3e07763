// Rules that span several keys (unique names, notifier references, token vs token_file). They
// read the raw TOML table, so they still run, and report, when other keys fail the schema.

import type { Problem } from "./problems.ts";
import { isTable } from "./rules.ts";
import { closest } from "./suggest.ts";

function tables(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isTable) : [];
}

function indexedTables(value: unknown): [number, Record<string, unknown>][] {
  return Array.isArray(value)
    ? value.flatMap((item, i): [number, Record<string, unknown>][] =>
        isTable(item) ? [[i, item]] : [],
      )
    : [];
}

/** Each repeated `name` in an array of tables, pointing back at its first use. */
function duplicateNames(root: Record<string, unknown>, list: string, what: string): Problem[] {
  const problems: Problem[] = [];
  const firstIndex = new Map<string, number>();
  for (const [i, entry] of indexedTables(root[list])) {
    const name = entry.name;
    if (typeof name !== "string") continue;
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, i);
    else {
      problems.push({
        path: [list, i, "name"],
        message: `expected a unique ${what}, got ${JSON.stringify(name)} again (first used by ${list}[${first}])`,
      });
    }
  }
  return problems;
}

export function crossCheck(root: unknown): Problem[] {
  if (!isTable(root)) return [];
  const problems: Problem[] = [];

  if (root.token !== undefined && root.token_file !== undefined) {
    problems.push({
      path: ["token_file"],
      message: 'expected either "token" or "token_file", not both: keep one of them',
    });
  }

  problems.push(...duplicateNames(root, "senders", "sender name (it is the host id)"));
  problems.push(...duplicateNames(root, "notifiers", "notifier name"));
  problems.push(...duplicateNames(root, "alerts", "alert name"));

  // A pinned fingerprint or a CA only means something when the sender speaks TLS.
  for (const [i, sender] of indexedTables(root.senders)) {
    if (typeof sender.url !== "string" || !sender.url.startsWith("http://")) continue;
    for (const key of ["fingerprint", "ca"]) {
      if (sender[key] === undefined) continue;
      problems.push({
        path: ["senders", i, key],
        message: `expected only for a sender with an https:// url, but senders[${i}].url is http://`,
      });
    }
  }

  const notifierNames = tables(root.notifiers)
    .map((n) => n.name)
    .filter((name): name is string => typeof name === "string");
  for (const [i, alert] of indexedTables(root.alerts)) {
    if (!Array.isArray(alert.notify)) continue;
    alert.notify.forEach((name: unknown, k) => {
      if (typeof name !== "string" || notifierNames.includes(name)) return;
      const suggestion = closest(name, notifierNames);
      problems.push({
        path: ["alerts", i, "notify", k],
        message:
          notifierNames.length === 0
            ? `expected the name of a [[notifiers]] table, got ${JSON.stringify(name)}, but no notifier is defined`
            : `expected the name of a [[notifiers]] table (${notifierNames.map((n) => JSON.stringify(n)).join(", ")}), got ${JSON.stringify(name)}${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
      });
    });
  }
  return problems;
}
