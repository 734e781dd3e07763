/** @jsxImportSource preact */
// A hypervisor's guests (Proxmox VMs and CTs) and a host's containers as two tables sortable by
// every column, each row with its CPU over the last minutes of this session. A guest that runs a
// sender of its own links to its page. They arrive only while this host's page is open.
import { useMemo } from "preact/hooks";
import { containerKey, type GuestHistory, guestKey } from "../../client/guest-history.ts";
import * as f from "../../client/units.ts";
import type { Container, Guest } from "../../protocol/index.ts";
import { hostHref } from "../router.ts";
import { sparkPath } from "./sparkline.tsx";
import { type Column, SortableTable } from "./table.tsx";

/** What a guest and a container share: their cgroup's numbers. */
type Usage = Guest | Container;

/** A guest's CPU line, drawn against its configured cores (full height: all of them busy). */
function CpuSpark({ points, cores }: { points: Float32Array; cores: number | null }) {
  const d = useMemo(() => {
    let peak = 0;
    for (const v of points) if (v > peak) peak = v;
    const full = 100 * (cores ?? Math.max(1, Math.ceil(peak / 100)));
    return sparkPath(points.map((v) => (v / full) * 100));
  }, [points, cores]);
  return (
    <svg
      class="spark guest-spark"
      viewBox="0 0 300 100"
      preserveAspectRatio="none"
      role="img"
      aria-label="CPU over the last 5 minutes"
    >
      <path d={d} vector-effect="non-scaling-stroke" />
    </svg>
  );
}

const STATUS_MARK: Record<Usage["status"], string> = {
  running: "●",
  paused: "❚❚",
  stopped: "○",
};

/** The columns both tables have, after their own: status, CPU with its line, memory, I/O, uptime. */
function usageColumns<Row extends Usage>(cpu: (row: Row) => Float32Array): Column<Row>[] {
  return [
    {
      key: "status",
      label: "Status",
      value: (r) => r.status,
      render: (r) => (
        <span class={`guest-status ${r.status}`} data-status={r.status}>
          <span aria-hidden="true">{STATUS_MARK[r.status]} </span>
          {r.status}
        </span>
      ),
    },
    {
      key: "cpu",
      label: "CPU (% of 1 core)",
      value: (r) => r.cpu_pct,
      numeric: true,
      render: (r) => (
        <span class="guest-cpu">
          <span data-testid="guest-cpu">{f.pct(r.cpu_pct)}</span>
          <CpuSpark points={cpu(r)} cores={r.cores} />
        </span>
      ),
    },
    {
      key: "cores",
      label: "Cores",
      value: (r) => r.cores,
      numeric: true,
      render: (r) => (r.cores === null ? f.NONE : String(r.cores)),
    },
    {
      key: "mem",
      label: "Memory",
      value: (r) => r.mem_used_bytes,
      numeric: true,
      render: (r) =>
        r.mem_limit_bytes === null
          ? f.bytes(r.mem_used_bytes)
          : `${f.bytes(r.mem_used_bytes)} / ${f.bytes(r.mem_limit_bytes)}`,
    },
    {
      key: "disk",
      label: "Disk read / write",
      value: (r) => sum(r.disk_read_bps, r.disk_write_bps),
      numeric: true,
      render: (r) => `${f.rate(r.disk_read_bps)} / ${f.rate(r.disk_write_bps)}`,
    },
    {
      key: "net",
      label: "Network ↓ / ↑",
      value: (r) => sum(r.net_rx_bps, r.net_tx_bps),
      numeric: true,
      render: (r) => `${f.rate(r.net_rx_bps)} / ${f.rate(r.net_tx_bps)}`,
    },
    {
      key: "uptime",
      label: "Uptime",
      value: (r) => r.uptime_s,
      numeric: true,
      render: (r) => f.duration(r.uptime_s),
    },
  ];
}

const sum = (a: number | null, b: number | null) =>
  a === null && b === null ? null : (a ?? 0) + (b ?? 0);

/** The section as the page has it: a list (empty: no panel), or null when it failed, with why. */
export interface Listed<Row> {
  rows: Row[] | null;
  error?: string;
}

/** A table of guests or containers under its title; none at all when the list is empty. */
function ListPanel<Row>(props: {
  id: "guests" | "containers";
  title: string;
  /** After the title: how many. */
  note: string;
  listed: Listed<Row>;
  label: string;
  columns: Column<Row>[];
  rowKey: (row: Row) => string;
  initialSort: { key: string; ascending: boolean };
}) {
  const { id, listed } = props;
  if (listed.rows && listed.rows.length === 0) return null;
  return (
    <section class="panel wide" aria-labelledby={`${id}-title`} data-testid={`${id}-panel`}>
      <h2 id={`${id}-title`}>
        {props.title}
        {listed.rows && <span class="muted small"> · {props.note}</span>}
      </h2>
      {listed.rows === null ? (
        <p class="muted">— ({listed.error ?? "cannot be read on this host"})</p>
      ) : (
        <SortableTable
          label={props.label}
          columns={props.columns}
          rows={listed.rows}
          rowKey={props.rowKey}
          initialSort={props.initialSort}
          testId={id}
        />
      )}
    </section>
  );
}

export function GuestsPanel(props: {
  hostId: string;
  guests: Listed<Guest>;
  history: GuestHistory;
  /** The fleet's host each guest is, by its name; absent: none. */
  hostOf: (name: string | null) => string | null;
}) {
  const { hostId, history, hostOf } = props;
  const columns: Column<Guest>[] = [
    { key: "id", label: "ID", value: (g) => g.id, numeric: true },
    {
      key: "name",
      label: "Name",
      value: (g) => g.name,
      render: (g) => {
        const id = hostOf(g.name);
        return id === null ? (
          (g.name ?? f.NONE)
        ) : (
          <a href={hostHref(id)} data-testid="guest-host-link" title={`${id}'s own page`}>
            {g.name}
          </a>
        );
      },
    },
    { key: "kind", label: "Kind", value: (g) => (g.kind === "vm" ? "VM" : "CT") },
    ...usageColumns<Guest>((g) => history.cpu(hostId, guestKey(g))),
  ];
  const rows = props.guests.rows ?? [];
  const running = rows.filter((g) => g.status !== "stopped").length;
  return (
    <ListPanel
      id="guests"
      title="Guests"
      note={`${running} of ${rows.length} running`}
      listed={props.guests}
      label="Virtual machines and containers of this Proxmox host"
      columns={columns}
      rowKey={guestKey}
      initialSort={{ key: "id", ascending: true }}
    />
  );
}

export function ContainersPanel(props: {
  hostId: string;
  containers: Listed<Container>;
  history: GuestHistory;
}) {
  const { hostId, history } = props;
  const columns: Column<Container>[] = [
    {
      key: "name",
      label: "Name",
      value: (c) => c.name ?? c.id.slice(0, 12),
      render: (c) => c.name ?? <code title={c.id}>{c.id.slice(0, 12)}</code>,
    },
    { key: "image", label: "Image", value: (c) => c.image },
    { key: "runtime", label: "Runtime", value: (c) => c.runtime },
    ...usageColumns<Container>((c) => history.cpu(hostId, containerKey(c))),
  ];
  return (
    <ListPanel
      id="containers"
      title="Containers"
      note={String(props.containers.rows?.length ?? 0)}
      listed={props.containers}
      label="Containers of this host"
      columns={columns}
      rowKey={containerKey}
      initialSort={{ key: "name", ascending: true }}
    />
  );
}
