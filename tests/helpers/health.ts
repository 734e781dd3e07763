// Health-section entries for tests of what reads them (history metrics, alert rules).
import type { Health } from "../../src/protocol/index.ts";

/** A two-member pool or array: whole when `ok`, else degraded with one member failed. */
export function pool(name: string, ok: boolean): Health["pools"][number] {
  return {
    name,
    kind: name.startsWith("md") ? "mdraid" : "zfs",
    state: ok ? "ONLINE" : "DEGRADED",
    ok,
    level: null,
    devices: 2,
    failed_devices: ok ? 0 : 1,
    progress_pct: null,
    detail: null,
  };
}
