// A snapshot's metric values as the rules look them up: by full name, and per keyed family for
// "[*]" rules; computed once per snapshot however many rules read it.
import { snapshotMetrics } from "../history/metrics.ts";
import type { Snapshot } from "../protocol/index.ts";

export interface HostMetrics {
  /** "disks[/var].used_pct" → 93.2 */
  byName: Map<string, number>;
  /** "disks[].used_pct" → [["/var", 93.2], ["/", 40.1]] */
  byFamily: Map<string, [key: string, value: number][]>;
}

const cache = new WeakMap<Snapshot, HostMetrics>();

export function hostMetrics(snapshot: Snapshot): HostMetrics {
  const cached = cache.get(snapshot);
  if (cached) return cached;
  const byName = snapshotMetrics(snapshot);
  const byFamily = new Map<string, [string, number][]>();
  for (const [name, value] of byName) {
    const open = name.indexOf("[");
    const close = name.lastIndexOf("]");
    if (open < 0 || close < open) continue;
    const family = `${name.slice(0, open)}[]${name.slice(close + 1)}`;
    const list = byFamily.get(family) ?? [];
    byFamily.set(family, list);
    list.push([name.slice(open + 1, close), value]);
  }
  const metrics = { byName, byFamily };
  cache.set(snapshot, metrics);
  return metrics;
}
