// The health section (S.M.A.R.T., pools, failed units) as Prometheus gauges: one series per disk,
// pool and failed unit, and whether each source could be read.
import { HEALTH_SOURCES, type Health } from "../protocol/index.ts";

type Labels = Readonly<Record<string, string>>;
/** Adds one gauge sample (nothing when the value is null), as prometheus.ts does for every family. */
export type AddGauge = (
  name: string,
  help: string,
  labels: Labels,
  value: number | null | undefined,
) => void;

const bit = (ok: boolean | null) => (ok === null ? null : ok ? 1 : 0);

export function addHealth(g: AddGauge, h: Health): void {
  g(
    "hwm_health_collected_timestamp_seconds",
    "When the health sources were last read, as a Unix timestamp (they are cached for minutes).",
    {},
    h.collected_ms / 1000,
  );
  for (const source of HEALTH_SOURCES) {
    g(
      "hwm_health_source_available",
      "1 when a health source (smart, zfs, mdraid, units) could be read; 0 when it is missing or failed.",
      { source },
      h.unavailable[source] === undefined ? 1 : 0,
    );
  }
  for (const d of h.disks) {
    const l = { device: d.device };
    g(
      "hwm_smart_ok",
      "1 when the disk passes its S.M.A.R.T. self-assessment, 0 when it fails it.",
      { ...l, model: d.model ?? "", serial: d.serial ?? "" },
      bit(d.ok),
    );
    g("hwm_smart_temperature_celsius", "Disk temperature from S.M.A.R.T.", l, d.celsius);
    g(
      "hwm_smart_power_on_seconds",
      "Disk power-on time from S.M.A.R.T. (counted in hours by the disk).",
      l,
      d.power_on_hours === null ? null : d.power_on_hours * 3600,
    );
    g(
      "hwm_smart_wear_ratio",
      "Share of the rated endurance used (1 = all of it; more when worn beyond it).",
      l,
      d.wear_pct === null ? null : d.wear_pct / 100,
    );
    g(
      "hwm_smart_reallocated_sectors",
      "Sectors the disk has remapped to spares.",
      l,
      d.reallocated_sectors,
    );
    g(
      "hwm_smart_pending_sectors",
      "Unstable sectors waiting to be remapped.",
      l,
      d.pending_sectors,
    );
    g(
      "hwm_smart_media_errors",
      "NVMe media and data integrity errors; ATA offline uncorrectable sectors.",
      l,
      d.media_errors,
    );
  }
  for (const p of h.pools) {
    const l = { pool: p.name, kind: p.kind };
    g(
      "hwm_pool_ok",
      "1 when a ZFS pool or mdraid array is fully redundant, 0 when degraded or worse.",
      { ...l, state: p.state },
      bit(p.ok),
    );
    g("hwm_pool_devices", "Member devices of a pool or array.", l, p.devices);
    g(
      "hwm_pool_failed_devices",
      "Member devices that are faulted, offline, removed or failed.",
      l,
      p.failed_devices,
    );
    g(
      "hwm_pool_progress_ratio",
      "Progress of a running scrub, resilver, resync or recovery (0-1).",
      l,
      p.progress_pct === null ? null : p.progress_pct / 100,
    );
  }
  if (h.unavailable.units === undefined) {
    g(
      "hwm_systemd_units_failed",
      "Number of systemd units in the failed state.",
      {},
      h.failed_units.length,
    );
  }
  for (const u of h.failed_units) {
    g(
      "hwm_systemd_unit_failed",
      "A systemd unit in the failed state; the value is always 1.",
      { unit: u.name },
      1,
    );
  }
}
