/** @jsxImportSource preact */
// The watched host's busiest processes, sortable by every column. Arrives only while this
// host's page is open (the page `watch`es it).

import * as f from "../../client/units.ts";
import type { Processes as ProcessesData, ProcessInfo } from "../../protocol/index.ts";
import { type Column, SortableTable } from "./table.tsx";

const STATES: Record<string, string> = {
  R: "running",
  S: "sleeping",
  D: "disk wait",
  Z: "zombie",
  T: "stopped",
  t: "traced",
  I: "idle",
  X: "dead",
};

const COLUMNS: Column<ProcessInfo>[] = [
  { key: "pid", label: "PID", value: (p) => p.pid, numeric: true },
  { key: "name", label: "Name", value: (p) => p.name },
  { key: "user", label: "User", value: (p) => p.user },
  {
    key: "cpu",
    label: "CPU (% of 1 core)",
    value: (p) => p.cpu_pct,
    render: (p) => f.pct(p.cpu_pct),
    numeric: true,
  },
  {
    key: "mem",
    label: "Memory",
    value: (p) => p.mem_bytes,
    render: (p) => f.bytes(p.mem_bytes),
    numeric: true,
  },
  {
    key: "state",
    label: "State",
    value: (p) => p.state,
    render: (p) => (
      <span title={STATES[p.state] ?? p.state}>
        {p.state} · {STATES[p.state] ?? "?"}
      </span>
    ),
  },
];

/** "waiting": asked for, not here yet; "gone": the host is not online, so nobody can ask it. */
export function Processes({
  data,
}: {
  data: ProcessesData | null | undefined | "waiting" | "gone";
}) {
  return (
    <section class="panel wide" aria-labelledby="processes-title">
      <h2 id="processes-title">
        Processes
        {data && data !== "waiting" && data !== "gone" && (
          <span class="muted small">
            {" "}
            · {f.count(data.count)} total, {f.count(data.running)} running, top {data.top.length} by
            CPU
          </span>
        )}
      </h2>
      {data === "waiting" ? (
        <p class="muted">Waiting for the first process list…</p>
      ) : data === "gone" ? (
        <p class="muted">— (the host is not online: no process list)</p>
      ) : data == null ? (
        <p class="muted">— (cannot be read on this host)</p>
      ) : (
        <SortableTable
          label="Top processes"
          columns={COLUMNS}
          rows={data.top}
          rowKey={(p) => String(p.pid)}
          initialSort={{ key: "cpu", ascending: false }}
          testId="processes"
        />
      )}
    </section>
  );
}
