/** @jsxImportSource preact */
// One host in the fleet: status, problems and firing alerts, CPU with its sparkline (the last day
// when history is on), memory, fullest disk, its busiest GPU (when it has one), busiest network
// interface, load, hottest sensor, uptime. A link: Tab or the arrow keys to it, Enter opens the host.
import type { SparkSeries } from "../../client/fleet-history.ts";
import type { HostTrends } from "../../client/host-trends.ts";
import type { HostSummary } from "../../client/summary.ts";
import { LIMITS, level, temperatureLevel } from "../../client/thresholds.ts";
import * as f from "../../client/units.ts";
import type { HostState } from "../../protocol/index.ts";
import { hostHref } from "../router.ts";
import { Meter } from "./meter.tsx";
import { Problems } from "./problems.tsx";
import { HistorySparkline, Sparkline } from "./sparkline.tsx";
import { StatusBadge } from "./status-badge.tsx";

export function HostCard(props: {
  host: HostState;
  summary: HostSummary;
  history: HostTrends;
  /** The last day as recorded; null: the live sparkline of this session. */
  spark: SparkSeries | null;
  /** While the live link is lost: when the last frame came (this browser's clock). */
  lastUpdateMs: number | null;
}) {
  const { host, summary: s } = props;
  const tint =
    s.severity === "fine" ? "ok" : s.severity === "busy" || s.severity === "stale" ? "warn" : "bad";
  const memText =
    s.memUsedBytes != null && s.memTotalBytes != null
      ? `${f.bytes(s.memUsedBytes)} / ${f.bytes(s.memTotalBytes)}`
      : f.NONE;
  return (
    <a
      class={`card sev-${tint}${s.dated || props.lastUpdateMs !== null ? " dated" : ""}`}
      data-severity={s.severity}
      href={hostHref(host.id)}
      data-host={host.id}
      data-status={host.status}
    >
      <div class="card-head">
        <span class="host-name" title={s.name}>
          {host.id}
        </span>
        {props.lastUpdateMs === null ? (
          <StatusBadge status={host.status} />
        ) : (
          // The link is down: what the host is now is unknown, only how old this picture is.
          <span class="badge status-dated" data-testid="last-update">
            <span aria-hidden="true">◌</span> last update {f.ago(props.lastUpdateMs, Date.now())}
          </span>
        )}
      </div>
      <Problems problems={s.problems} />
      <div class="card-cpu">
        <span class="k">CPU</span>
        <span class={`v lvl-${level(s.cpuPct, LIMITS.cpuPct)}`} data-testid="cpu">
          {f.pct(s.cpuPct)}
        </span>
        {props.spark ? (
          <HistorySparkline series={props.spark} />
        ) : (
          <Sparkline history={props.history} version={props.history.version} />
        )}
      </div>
      <Meter label="Memory" pct={s.memPct} limit={LIMITS.memPct} text={memText} />
      <Meter
        label={s.disk ? `Disk ${s.disk.mount}` : "Disk"}
        pct={s.disk?.pct ?? null}
        limit={LIMITS.diskPct}
        format={f.diskPct}
        text={s.disk ? `${f.bytes(s.disk.usedBytes)} / ${f.bytes(s.disk.totalBytes)}` : f.NONE}
      />
      {s.gpu && (
        // A GPU is busy as a CPU is: tinted at the same shares.
        <Meter
          label={`GPU · ${s.gpu.name}`}
          pct={s.gpu.pct}
          limit={LIMITS.cpuPct}
          text={
            s.gpu.memTotalBytes
              ? `memory ${f.bytes(s.gpu.memUsedBytes)} / ${f.bytes(s.gpu.memTotalBytes)}`
              : f.NONE
          }
        />
      )}
      <dl class="facts">
        <div class="net">
          <dt>Network{s.net ? ` · ${s.net.iface}` : ""}</dt>
          <dd>
            {s.net ? (
              <>
                <span title="received">↓ {f.rate(s.net.rxBps)}</span>{" "}
                <span title="sent">↑ {f.rate(s.net.txBps)}</span>
              </>
            ) : (
              f.NONE
            )}
          </dd>
        </div>
        <div data-testid="load">
          <dt>Load</dt>
          <dd
            title={
              s.load?.perCore != null ? `1 min; ${f.loadAvg(s.load.perCore)} per core` : "1 min"
            }
          >
            {f.loadAvg(s.load?.avg1)}
          </dd>
        </div>
        <div>
          <dt>Hottest</dt>
          <dd class={`lvl-${temperatureLevel(s.sensor)}`} title={s.sensor?.label}>
            {f.celsius(s.sensor?.celsius)}
          </dd>
        </div>
        <div>
          <dt>Uptime</dt>
          <dd>{f.duration(s.uptimeS)}</dd>
        </div>
      </dl>
      <div class="card-foot muted">
        {host.info ? `${host.info.os} · ${host.info.cpu_cores} cores` : host.url}
      </div>
    </a>
  );
}
