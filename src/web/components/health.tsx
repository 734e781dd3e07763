/** @jsxImportSource preact */
// The host's health: its disks' S.M.A.R.T. (verdict, temperature, power-on time, wear, bad
// sectors), its ZFS pools and mdraid arrays, its failed systemd units, and each source it could
// not read with why. Comes with every fleet frame (read every few minutes on the host).
import { diskName } from "../../client/health-problems.ts";
import { LIMITS, level } from "../../client/thresholds.ts";
import * as f from "../../client/units.ts";
import type { DiskHealth, Health, HealthSource, Pool } from "../../protocol/index.ts";
import { type Column, SortableTable } from "./table.tsx";

const SOURCE_NAMES: Record<HealthSource, string> = {
  smart: "S.M.A.R.T.",
  zfs: "ZFS",
  mdraid: "mdraid",
  units: "systemd units",
};

/** The disk's verdict in words; failing ones in the problem colour, never colour alone. */
function Verdict({ d }: { d: DiskHealth }) {
  if (d.error !== null)
    return (
      <span class="muted" title={d.error}>
        not read: {d.error}
      </span>
    );
  if (d.ok === false)
    return (
      <strong class="lvl-bad" data-testid="disk-failing">
        <span aria-hidden="true">▲ </span>FAILING
      </strong>
    );
  return d.ok ? <span>OK</span> : <span class="muted">no verdict</span>;
}

/** Sectors and errors that say a disk is going: shown only when there are any. */
function badSectors(d: DiskHealth): string {
  const parts: string[] = [];
  if (d.reallocated_sectors) parts.push(`${f.count(d.reallocated_sectors)} reallocated`);
  if (d.pending_sectors) parts.push(`${f.count(d.pending_sectors)} pending`);
  if (d.media_errors) parts.push(`${f.count(d.media_errors)} media errors`);
  return parts.length > 0 ? parts.join(", ") : d.error === null ? "none" : f.NONE;
}

const verdictRank = (d: DiskHealth) => (d.ok === false ? 0 : d.ok === null ? 1 : 2);

const DISKS: Column<DiskHealth>[] = [
  { key: "device", label: "Disk", value: (d) => diskName(d.device) },
  { key: "model", label: "Model", value: (d) => d.model },
  { key: "ok", label: "Health", value: verdictRank, render: (d) => <Verdict d={d} /> },
  {
    key: "celsius",
    label: "Temp",
    value: (d) => d.celsius,
    numeric: true,
    render: (d) => (
      <span class={`lvl-${level(d.celsius, LIMITS.celsius)}`}>{f.celsius(d.celsius)}</span>
    ),
  },
  {
    key: "hours",
    label: "Powered on",
    value: (d) => d.power_on_hours,
    numeric: true,
    render: (d) =>
      d.power_on_hours === null
        ? f.NONE
        : `${f.count(d.power_on_hours)}${f.SP}h (${(d.power_on_hours / 8766).toFixed(1)}${f.SP}y)`,
  },
  {
    key: "wear",
    label: "Wear",
    value: (d) => d.wear_pct,
    numeric: true,
    render: (d) => f.pct(d.wear_pct),
  },
  {
    key: "bad",
    label: "Bad sectors / errors",
    value: (d) => (d.reallocated_sectors ?? 0) + (d.pending_sectors ?? 0) + (d.media_errors ?? 0),
    numeric: true,
    render: badSectors,
  },
];

function PoolLine({ pool }: { pool: Pool }) {
  const what = pool.kind === "zfs" ? "ZFS pool" : `mdraid ${pool.level ?? "array"}`;
  return (
    <li class={pool.ok ? undefined : "problem bad"} data-testid="pool">
      <strong>
        {!pool.ok && <span aria-hidden="true">▲ </span>}
        {pool.name}
      </strong>{" "}
      · {what} · {pool.state} · {pool.devices - pool.failed_devices} of {pool.devices} devices
      working
      {pool.progress_pct !== null && ` · ${f.pct(pool.progress_pct)} done`}
      {pool.detail && <span class="muted small"> · {pool.detail}</span>}
    </li>
  );
}

export function HealthPanel(props: {
  health: Health | null | undefined;
  /** Why there is no health section (errors.health, or the host is down). */
  missing?: string;
  nowMs: number;
}) {
  const h = props.health;
  return (
    <section class="panel wide" aria-labelledby="health-title" data-testid="health-panel">
      <h2 id="health-title">
        Health
        {h && <span class="muted small"> · read {f.ago(h.collected_ms, props.nowMs)}</span>}
      </h2>
      {!h ? (
        <p class="muted">— ({props.missing ?? "not read on this host"})</p>
      ) : (
        <>
          {h.disks.length > 0 && (
            <SortableTable
              label="Disk health (S.M.A.R.T.)"
              columns={DISKS}
              rows={h.disks}
              rowKey={(d) => d.device}
              initialSort={{ key: "ok", ascending: true }}
              testId="health-disks"
            />
          )}
          {h.pools.length > 0 && (
            <ul class="health-list">
              {h.pools.map((p) => (
                <PoolLine key={`${p.kind}/${p.name}`} pool={p} />
              ))}
            </ul>
          )}
          {h.unavailable.units === undefined && (
            <ul class="health-list" data-testid="failed-units">
              {h.failed_units.length === 0 ? (
                <li class="muted">No failed systemd units</li>
              ) : (
                h.failed_units.map((u) => (
                  <li key={u.name} class="problem bad">
                    <strong>
                      <span aria-hidden="true">▲ </span>
                      {u.name}
                    </strong>{" "}
                    · {u.active} ({u.sub})
                    {u.description && <span class="muted small"> · {u.description}</span>}
                  </li>
                ))
              )}
            </ul>
          )}
          {Object.entries(h.unavailable).length > 0 && (
            <ul class="health-list muted small" data-testid="health-unavailable">
              {Object.entries(h.unavailable).map(([source, why]) => (
                <li key={source}>
                  {SOURCE_NAMES[source as HealthSource] ?? source}: {why}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
