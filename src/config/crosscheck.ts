// Rules that span several keys (unique names, notifier references, token vs token_file). They
// read the raw TOML table, so they still run, and report, when other keys fail the schema.

import type { Problem } from "./problems.ts";
import {
  describe,
  HISTORY_DEFAULTS,
  isTable,
  parseDurationMs,
  URL_SECRET_NOTIFIERS,
} from "./rules.ts";
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

  if (
    isTable(root.dashboard) &&
    root.dashboard.token !== undefined &&
    root.dashboard.token_file !== undefined
  ) {
    problems.push({
      path: ["dashboard", "token_file"],
      message: 'expected either "token" or "token_file", not both: keep one of them',
    });
  }
  if (
    isTable(root.dashboard) &&
    typeof root.dashboard.token === "string" &&
    root.dashboard.token === root.token
  ) {
    problems.push({
      path: ["dashboard", "token"],
      message:
        'expected a secret of its own, not the fleet token: every sender knows that one (make one with "hwm token")',
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

  problems.push(...historyProblems(root.history));

  for (const [i, notifier] of indexedTables(root.notifiers)) {
    if (notifier.token !== undefined && notifier.token_file !== undefined) {
      problems.push({
        path: ["notifiers", i, "token_file"],
        message: 'expected either "token" or "token_file", not both: keep one of them',
      });
    }
    if (typeof notifier.type === "string" && URL_SECRET_NOTIFIERS.includes(notifier.type)) {
      for (const key of ["token", "token_file"]) {
        if (notifier[key] === undefined) continue;
        problems.push({
          path: ["notifiers", i, key],
          message: `expected no ${key} for a ${notifier.type} notifier: its webhook URL carries the secret`,
        });
      }
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

const durationOf = (value: unknown): number | null =>
  typeof value === "string" ? parseDurationMs(value) : null;

/** Keys that belong to one backend only, and rollup tiers that can be computed from each other. */
function historyProblems(history: unknown): Problem[] {
  if (!isTable(history)) return [];
  const problems: Problem[] = [];
  const backend = history.backend ?? "sqlite";
  const only = (keys: string[], wanted: string, why: string) => {
    for (const key of keys) {
      if (history[key] === undefined || backend === wanted) continue;
      problems.push({
        path: ["history", key],
        message: `expected only with backend = "${wanted}" (${why}), but backend is ${describe(backend)}`,
      });
    }
  };
  only(["url", "token_file", "label"], "prometheus", "they say where Prometheus is");
  only(["path", "raw_retention", "rollups"], "sqlite", "they shape the SQLite file");
  if (backend === "prometheus" && history.url === undefined) {
    problems.push({
      path: ["history", "url"],
      message:
        'missing; expected the URL of a Prometheus-compatible query API, such as "http://prometheus:9090", for backend = "prometheus"',
    });
  }

  const intervalMs =
    typeof history.interval_ms === "number" ? history.interval_ms : HISTORY_DEFAULTS.intervalMs;
  const rawMs = durationOf(history.raw_retention);
  if (rawMs !== null && rawMs < 2 * intervalMs) {
    problems.push({
      path: ["history", "raw_retention"],
      message: `expected at least two recording intervals (${2 * intervalMs} ms), got ${String(history.raw_retention)}`,
    });
  }
  let previous = {
    stepMs: intervalMs,
    retentionMs: rawMs ?? HISTORY_DEFAULTS.rawRetentionMs,
    where: "raw_retention",
  };
  for (const [i, rollup] of indexedTables(history.rollups)) {
    const stepMs = durationOf(rollup.step);
    const retentionMs = durationOf(rollup.retention);
    if (stepMs === null || retentionMs === null) continue;
    if (retentionMs <= stepMs) {
      problems.push({
        path: ["history", "rollups", i, "retention"],
        message: `expected longer than its step (${String(rollup.step)}), got ${String(rollup.retention)}`,
      });
    }
    if (i === 0 && stepMs <= intervalMs) {
      problems.push({
        path: ["history", "rollups", i, "step"],
        message: `expected longer than history.interval_ms (${intervalMs} ms), got ${String(rollup.step)}`,
      });
    }
    if (i > 0) {
      if (stepMs <= previous.stepMs || stepMs % previous.stepMs !== 0) {
        problems.push({
          path: ["history", "rollups", i, "step"],
          message: `expected a whole multiple of the step before it (rollups[${i - 1}]), larger than it, got ${String(rollup.step)}`,
        });
      }
    }
    if (previous.retentionMs < stepMs) {
      problems.push({
        path: ["history", "rollups", i, "step"],
        message: `expected at most the retention of the tier it is computed from (${previous.where}), got ${String(rollup.step)}`,
      });
    }
    previous = { stepMs, retentionMs, where: `rollups[${i}].retention` };
  }
  return problems;
}
