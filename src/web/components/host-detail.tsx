/** @jsxImportSource preact */
// One host: its firing alerts, facts, CPU and memory now, per-core bars, charts over a range,
// disks, network, sensors, GPUs and the top processes. Esc (or the back link) returns to the fleet.
// The facts fold away on a phone, so that the first screen shows how the host is doing; on a
// wide screen the tables and the processes sit side by side (styles.css, "host page").
import { useEffect, useRef, useState } from "preact/hooks";
import type { RangeKey } from "../../client/ranges.ts";
import { summarize } from "../../client/summary.ts";
import { LIMITS, level } from "../../client/thresholds.ts";
import * as f from "../../client/units.ts";
import type { FiringAlert, HostState } from "../../protocol/index.ts";
import { FLEET_HREF, goToFleet, rememberHost } from "../router.ts";
import type { FleetStore } from "../store.ts";
import { Cores } from "./cores.tsx";
import { Facts } from "./facts.tsx";
import { HostCharts } from "./host-charts.tsx";
import { HostInside } from "./host-inside.tsx";
import { Meter } from "./meter.tsx";
import { Problems } from "./problems.tsx";
import { Processes } from "./processes.tsx";
import { DiskIoPanel, DisksPanel, GpusPanel, NetworkPanel, SensorsPanel } from "./resources.tsx";
import { StatusBadge } from "./status-badge.tsx";

/** The host's alerts firing now, each with its message and since when. */
function FiringAlerts({ alerts, nowMs }: { alerts: FiringAlert[]; nowMs: number }) {
  if (alerts.length === 0) return null;
  return (
    <section class="panel alerts-firing" aria-labelledby="firing-title">
      <h2 id="firing-title">Alerts firing</h2>
      <ul class="problems" data-testid="firing-alerts">
        {alerts.map((a) => (
          <li key={`${a.rule}/${a.key}`} class="problem bad">
            <strong>
              <span aria-hidden="true">▲ </span>ALERT · {a.rule}
              {a.key !== null && ` · ${a.key}`}
            </strong>{" "}
            — {a.message}{" "}
            <span class="small">· firing for {f.duration((nowMs - a.since_ms) / 1000)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Wider than a phone: the facts start open. */
const WIDE_QUERY = "(min-width: 700px)";

/** The host's facts, folded to one line (OS, cores, uptime) until opened. */
function FactsPanel({ host, nowMs }: { host: HostState; nowMs: number }) {
  const [open] = useState(() => matchMedia(WIDE_QUERY).matches);
  const info = host.info;
  const line = [
    info?.os,
    info ? `${info.cpu_cores} cores` : null,
    host.snapshot ? `up ${f.duration(host.snapshot.uptime_s)}` : null,
  ].filter((part) => part != null);
  return (
    <section class="panel facts-panel" aria-labelledby="facts-title">
      <details open={open} data-testid="host-facts">
        <summary>
          <h2 id="facts-title">Host</h2>
          <span class="muted small">{line.join(" · ")}</span>
        </summary>
        <Facts host={host} nowMs={nowMs} />
      </details>
    </section>
  );
}

export function HostDetail({
  store,
  id,
  range,
}: {
  store: FleetStore;
  id: string;
  range: RangeKey;
}) {
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    rememberHost(id);
    title.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) goToFleet();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [id]);

  const host = store.host(id);
  if (!host) {
    return (
      <section class="detail">
        <a class="back" href={FLEET_HREF}>
          ← Fleet
        </a>
        <h1 ref={title} tabIndex={-1}>
          {id}
        </h1>
        <p class="empty">This host is not in the receiver's fleet (any more).</p>
      </section>
    );
  }
  const nowMs = store.receiverNowMs();
  const s = summarize(host, nowMs);
  // A host that cannot be read says so, rather than that it cannot read its disks.
  const missing =
    host.status === "online" || host.status === "stale"
      ? undefined
      : `the host is ${host.status}: nothing read from it ${host.last_seen_ms === null ? "yet" : `since ${f.ago(host.last_seen_ms, nowMs)}`}`;
  const snap = host.snapshot;
  const cpu = snap?.cpu ?? null;
  const mem = snap?.memory ?? null;
  const detail = store.detail?.id === id ? store.detail.snapshot : null;
  const processes = detail ? detail.processes : host.status === "online" ? "waiting" : "gone";

  return (
    <section class="detail" aria-labelledby="host-title">
      <div class="detail-head">
        <a
          class="back"
          href={FLEET_HREF}
          onClick={(e) => {
            e.preventDefault();
            goToFleet();
          }}
        >
          ← Fleet <span class="muted small">(Esc)</span>
        </a>
        <h1 id="host-title" ref={title} tabIndex={-1}>
          {host.id}
        </h1>
        <StatusBadge status={host.status} />
      </div>
      <Problems problems={s.problems.filter((p) => !p.alert)} />
      <FiringAlerts alerts={host.alerts ?? []} nowMs={nowMs} />
      <div class="detail-grid">
        <FactsPanel host={host} nowMs={nowMs} />
        <section class="panel">
          <h2>CPU</h2>
          <div class="big">
            <span class={`lvl-${level(cpu?.total_pct, LIMITS.cpuPct)}`}>
              {f.pct(cpu?.total_pct)}
            </span>
          </div>
          <p class="muted small">
            user {f.pct(cpu?.user_pct)} · system {f.pct(cpu?.system_pct)} · iowait{" "}
            {f.pct(cpu?.iowait_pct)} · steal {f.pct(cpu?.steal_pct)}
            <br />
            load {cpu?.load ? cpu.load.map((l) => l.toFixed(2)).join(" / ") : f.NONE} (1 / 5 / 15
            min) · {f.mhz(cpu?.freq_mhz)}
          </p>
          <Cores cores={cpu?.cores_pct ?? []} />
        </section>
        <section class="panel">
          <h2>Memory</h2>
          <Meter
            label="Used (without cache)"
            pct={s.memPct}
            limit={LIMITS.memPct}
            text={
              mem
                ? `${f.bytes(mem.used_bytes)} of ${f.bytes(mem.total_bytes)} · ${f.bytes(mem.available_bytes)} available`
                : f.NONE
            }
          />
          <Meter
            label="Swap"
            pct={
              mem && mem.swap_total_bytes > 0
                ? (mem.swap_used_bytes / mem.swap_total_bytes) * 100
                : null
            }
            limit={LIMITS.memPct}
            text={
              mem
                ? mem.swap_total_bytes > 0
                  ? `${f.bytes(mem.swap_used_bytes)} of ${f.bytes(mem.swap_total_bytes)}`
                  : "no swap"
                : f.NONE
            }
          />
          <p class="muted small">
            cache {f.bytes(mem?.cached_bytes)} · binary units (1 GiB = 1024³ bytes)
          </p>
        </section>
      </div>
      <HostCharts store={store} id={id} range={range} snapshot={snap} />
      <HostInside store={store} host={host} nowMs={nowMs} missing={missing} />
      <div class="host-body">
        <div class="detail-grid tables">
          <DisksPanel rows={snap?.disks} missing={missing} />
          <DiskIoPanel rows={snap?.disk_io} missing={missing} />
          <NetworkPanel rows={snap?.network} missing={missing} />
          <SensorsPanel rows={snap?.sensors} missing={missing} />
          <GpusPanel rows={snap?.gpus} missing={missing} />
        </div>
        <Processes data={processes} />
      </div>
    </section>
  );
}
