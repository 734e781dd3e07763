// Noticing that a host rebooted: its uptime went down between two answers, or the boot time in
// its facts moved forward by more than a minute (a reboot seen only after reconnecting).
import type { HostState } from "../protocol/index.ts";

/** Boot times computed as "now - uptime" wobble by a second or two; a reboot moves them further. */
const BOOT_JITTER_MS = 60_000;

interface Seen {
  uptimeS: number | null;
  bootMs: number | null;
}

export class RebootTracker {
  private readonly seen = new Map<string, Seen>();

  /** Hosts that rebooted since the last call, with their uptime now (null: not known). */
  observe(hosts: readonly HostState[]): Map<string, number | null> {
    const rebooted = new Map<string, number | null>();
    for (const host of hosts) {
      if (host.status !== "online" || !host.snapshot) continue;
      const uptimeS = host.snapshot.uptime_s;
      // The sender's own clock on both sides, so the estimate compares with its boot_time_ms.
      const estimatedBootMs = uptimeS === null ? null : host.snapshot.ts_ms - uptimeS * 1000;
      const bootMs = host.info?.boot_time_ms ?? null;
      const before = this.seen.get(host.id);
      if (before) {
        const uptimeFell = before.uptimeS !== null && uptimeS !== null && uptimeS < before.uptimeS;
        const bootMoved =
          before.bootMs !== null && bootMs !== null && bootMs - before.bootMs > BOOT_JITTER_MS;
        if (uptimeFell || bootMoved) {
          const uptimeMs =
            uptimeS !== null
              ? uptimeS * 1000
              : bootMs !== null
                ? host.snapshot.ts_ms - bootMs
                : null;
          rebooted.set(host.id, uptimeMs === null ? null : Math.max(0, uptimeMs));
        }
      }
      // The new boot, however it was noticed, is the baseline: facts that arrive a round later
      // with the same boot time must not count it twice.
      const baselineBootMs = [before?.bootMs, bootMs, estimatedBootMs].reduce<number | null>(
        (max, x) => (x == null ? max : max === null ? x : Math.max(max, x)),
        null,
      );
      this.seen.set(host.id, {
        uptimeS: uptimeS ?? before?.uptimeS ?? null,
        bootMs: baselineBootMs,
      });
    }
    return rebooted;
  }

  /** Forget hosts no longer in the fleet. */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.seen.keys()) if (!ids.has(id)) this.seen.delete(id);
  }
}
