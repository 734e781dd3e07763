/** @jsxImportSource preact */
// The watched host's busiest and largest processes, sortable by every column, with a filter
// and a switch to hide kernel threads. Arrives only while this host's page is open (the page
// `watch`es it).

import { useState } from "preact/hooks";
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

/** Cut short by its class's width (the whole text on hover), so CPU and memory stay in view. */
function cutShort(cls: string, text: string) {
  return (
    <span class={cls} title={text}>
      {text}
    </span>
  );
}

const COLUMNS: Column<ProcessInfo>[] = [
  { key: "pid", label: "PID", value: (p) => p.pid, numeric: true, minor: true },
  {
    key: "name",
    label: "Name",
    value: (p) => p.name,
    render: (p) => cutShort("proc-name", p.name),
  },
  {
    key: "user",
    label: "User",
    value: (p) => p.user,
    minor: true,
    render: (p) => cutShort("proc-user", p.user),
  },
  {
    key: "cpu",
    label: "CPU %",
    hint: "percent of one core",
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
    minor: true,
    value: (p) => p.state,
    render: (p) => (
      <span title={STATES[p.state] ?? p.state}>
        {p.state} · {STATES[p.state] ?? "?"}
      </span>
    ),
  },
];

/** A process the filter keeps: its name, user or pid contains the text (any case). */
function matches(p: ProcessInfo, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === "") return true;
  return [p.name, p.user, String(p.pid)].some((v) => v.toLowerCase().includes(needle));
}

/** "waiting": asked for, not here yet; "gone": the host is not online, so nobody can ask it. */
export function Processes({
  data,
}: {
  data: ProcessesData | null | undefined | "waiting" | "gone";
}) {
  const [filter, setFilter] = useState("");
  const [hideKernel, setHideKernel] = useState(false);
  const listed = data && data !== "waiting" && data !== "gone" ? data : null;
  const rows = listed
    ? listed.top.filter((p) => matches(p, filter) && !(hideKernel && p.kernel === true))
    : [];
  return (
    <section class="panel wide processes" aria-labelledby="processes-title">
      <h2 id="processes-title">
        Processes
        {listed && (
          <span class="muted small">
            {" "}
            · {f.count(listed.count)} total, {f.count(listed.running)} running; the top{" "}
            {listed.top.length} by CPU and by memory; CPU in % of one core
            {listed.cpu_window_ms === null && " (CPU since each started, until the next update)"}
          </span>
        )}
      </h2>
      {listed && (
        <div class="toolbar">
          <label class="field grow">
            <span class="sr-only">Filter processes</span>
            <input
              type="search"
              placeholder="Filter by name, user or PID"
              data-testid="process-filter"
              value={filter}
              onInput={(e) => setFilter(e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <input
              type="checkbox"
              data-testid="hide-kernel"
              checked={hideKernel}
              onChange={(e) => setHideKernel(e.currentTarget.checked)}
            />
            <span>hide kernel threads</span>
          </label>
        </div>
      )}
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
          rows={rows}
          rowKey={(p) => String(p.pid)}
          initialSort={{ key: "cpu", ascending: false }}
          testId="processes"
        />
      )}
    </section>
  );
}
