/** @jsxImportSource preact */
// The fleet as a table, one row per host: status and problems, CPU, memory, fullest disk (as df
// counts it), network in and out, load, GPU, hottest temperature, uptime, last update. Every
// header sorts (again: reversed); a row opens its host on click or Enter; on a phone only
// status, host, CPU and memory are left.
import type { ComponentChildren } from "preact";
import { FLEET_COLUMNS, type FleetColumn, type FleetSort } from "../../client/fleet-table.ts";
import type { HostSummary } from "../../client/summary.ts";
import { LIMITS, level, temperatureLevel } from "../../client/thresholds.ts";
import * as f from "../../client/units.ts";
import { hostHref } from "../router.ts";
import { SortHeader } from "./sort-header.tsx";
import { StatusBadge } from "./status-badge.tsx";

interface Cell {
  render: (s: HostSummary, nowMs: number) => ComponentChildren;
  numeric: boolean;
  /** 1: always shown; 2: hidden on phones; 3: hidden below laptop width. */
  priority: 1 | 2 | 3;
}

const tinted = (text: string, lvl: string) => <span class={`lvl-${lvl}`}>{text}</span>;

const CELLS: Record<FleetColumn, Cell> = {
  status: { render: (s) => <StatusBadge status={s.status} />, numeric: false, priority: 1 },
  name: {
    render: (s) => (
      <>
        <a class="row-link" href={hostHref(s.id)} tabIndex={-1} title={s.name}>
          {s.id}
        </a>
        {problemLabels(s)}
      </>
    ),
    numeric: false,
    priority: 1,
  },
  cpu: {
    render: (s) => tinted(f.pct(s.cpuPct), level(s.cpuPct, LIMITS.cpuPct)),
    numeric: true,
    priority: 1,
  },
  memory: {
    render: (s) => tinted(f.pct(s.memPct), level(s.memPct, LIMITS.memPct)),
    numeric: true,
    priority: 1,
  },
  disk: {
    render: (s) => (
      <span title={s.disk?.mount}>
        {tinted(f.diskPct(s.disk?.pct), level(s.disk?.pct, LIMITS.diskPct))}
      </span>
    ),
    numeric: true,
    priority: 2,
  },
  netIn: { render: (s) => f.rate(s.net?.rxBps), numeric: true, priority: 2 },
  netOut: { render: (s) => f.rate(s.net?.txBps), numeric: true, priority: 2 },
  load: {
    render: (s) =>
      s.load ? (
        <span title="load average over 1 minute">
          {f.loadAvg(s.load.avg1)}
          {s.load.perCore !== null && (
            <span class="muted per-core"> · {f.loadAvg(s.load.perCore)}/core</span>
          )}
        </span>
      ) : (
        f.NONE
      ),
    numeric: true,
    priority: 2,
  },
  gpu: {
    render: (s) => <span title={s.gpu?.name}>{s.gpu ? f.pct(s.gpu.pct) : f.NONE}</span>,
    numeric: true,
    priority: 3,
  },
  temp: {
    render: (s) => (
      <span class={`lvl-${temperatureLevel(s.sensor)}`} title={s.sensor?.label}>
        {f.celsius(s.sensor?.celsius)}
      </span>
    ),
    numeric: true,
    priority: 2,
  },
  uptime: { render: (s) => f.duration(s.uptimeS), numeric: true, priority: 3 },
  updated: { render: (s, nowMs) => f.ago(s.lastSeenMs, nowMs), numeric: true, priority: 3 },
};

/** The problems besides the status itself ("FULL", "HOT"), in words; details on hover. */
function problemLabels(s: HostSummary) {
  const own = s.status.toUpperCase();
  const problems = s.problems.filter((p) => p.label !== own);
  if (problems.length === 0) return null;
  return (
    <span class="row-problems">
      {problems.map((p) => (
        <span key={`${p.label}/${p.detail}`} class={`chip ${p.level}`} title={p.title ?? p.detail}>
          {p.label}
        </span>
      ))}
    </span>
  );
}

const COLUMNS = Object.keys(FLEET_COLUMNS) as FleetColumn[];

export function FleetTable(props: {
  rows: HostSummary[];
  sort: FleetSort;
  onSort: (column: FleetColumn) => void;
  /** The receiver's clock now, for "3s ago". */
  nowMs: number;
  onRowKey: (event: KeyboardEvent) => void;
}) {
  const { sort } = props;
  return (
    <div class="fleet-table">
      <table data-testid="fleet-table">
        <caption class="sr-only">Fleet, one row per host</caption>
        <thead>
          <tr>
            {COLUMNS.map((key) => {
              const cell = CELLS[key];
              const active = sort.column === key;
              return (
                <SortHeader
                  key={key}
                  column={key}
                  label={FLEET_COLUMNS[key]}
                  class={`p${cell.priority}${cell.numeric ? " num" : ""}`}
                  direction={active ? (sort.descending ? "descending" : "ascending") : null}
                  onSort={() => props.onSort(key)}
                />
              );
            })}
          </tr>
        </thead>
        <tbody onKeyDown={props.onRowKey}>
          {props.rows.map((s) => (
            // Rows are patched in place by position, never moved (see table.tsx).
            <tr
              class={`host-row sev-${s.severity}${s.dated ? " dated" : ""}`}
              data-host={s.id}
              data-severity={s.severity}
              tabIndex={0}
              onClick={(event) => {
                // The name's own link handles itself (Ctrl+click: a new tab).
                if (!(event.target as Element).closest("a")) location.hash = hostHref(s.id);
              }}
            >
              {COLUMNS.map((key) => {
                const cell = CELLS[key];
                return (
                  <td key={key} class={`p${cell.priority}${cell.numeric ? " num" : ""}`}>
                    {cell.render(s, props.nowMs)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
