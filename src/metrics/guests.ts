// Guests (Proxmox VMs and CTs) and containers as Prometheus gauges, labelled by id, name and kind
// (runtime for containers). At most METRICS_MAX_GUESTS of each are exported, so that a host with
// a churning container fleet cannot flood a Prometheus server with series.
import type { Container, Guest } from "../protocol/index.ts";
import type { AddGauge } from "./health.ts";

/** Guests, and containers, exported per host at most; the rest are counted in hwm_metrics_omitted. */
export const METRICS_MAX_GUESTS = 500;

type Labels = Readonly<Record<string, string>>;
type Usage = Omit<Guest, "id" | "kind" | "name" | "status">;

/** The families both share, with `prefix` hwm_guest or hwm_container. */
function addUsage(g: AddGauge, prefix: string, what: string, l: Labels, u: Usage): void {
  g(
    `${prefix}_cpu_usage_cores`,
    `Cores the ${what} kept busy over the last sample interval (1 = one core).`,
    l,
    u.cpu_pct === null ? null : u.cpu_pct / 100,
  );
  g(`${prefix}_cores`, `Cores configured for the ${what}, or its CPU quota.`, l, u.cores);
  g(
    `${prefix}_memory_used_bytes`,
    `Memory the ${what} uses, without inactive file cache.`,
    l,
    u.mem_used_bytes,
  );
  g(`${prefix}_memory_limit_bytes`, `Memory limit of the ${what}.`, l, u.mem_limit_bytes);
  g(`${prefix}_disk_read_bytes_per_second`, `Disk read rate of the ${what}.`, l, u.disk_read_bps);
  g(
    `${prefix}_disk_written_bytes_per_second`,
    `Disk write rate of the ${what}.`,
    l,
    u.disk_write_bps,
  );
  g(
    `${prefix}_network_receive_bytes_per_second`,
    `Network receive rate of the ${what}, as it sees it.`,
    l,
    u.net_rx_bps,
  );
  g(
    `${prefix}_network_transmit_bytes_per_second`,
    `Network transmit rate of the ${what}, as it sees it.`,
    l,
    u.net_tx_bps,
  );
  g(`${prefix}_uptime_seconds`, `Seconds since the ${what} started.`, l, u.uptime_s);
}

function addOmitted(g: AddGauge, section: string, total: number): void {
  if (total <= METRICS_MAX_GUESTS) return;
  g(
    "hwm_metrics_omitted",
    `Entries of a section left out of /metrics beyond the first ${METRICS_MAX_GUESTS}.`,
    { section },
    total - METRICS_MAX_GUESTS,
  );
}

export function addGuests(g: AddGauge, guests: readonly Guest[]): void {
  for (const guest of guests.slice(0, METRICS_MAX_GUESTS)) {
    const l = { id: String(guest.id), name: guest.name ?? "", kind: guest.kind };
    g(
      "hwm_guest_running",
      "1 when the Proxmox guest runs (or is paused), 0 when it is stopped.",
      l,
      guest.status === "stopped" ? 0 : 1,
    );
    addUsage(g, "hwm_guest", "guest", l, guest);
  }
  addOmitted(g, "guests", guests.length);
}

export function addContainers(g: AddGauge, containers: readonly Container[]): void {
  for (const c of containers.slice(0, METRICS_MAX_GUESTS)) {
    // The short id, as `docker ps` shows it: unique enough, and a label people can read.
    const l = { id: c.id.slice(0, 12), name: c.name ?? "", runtime: c.runtime };
    g(
      "hwm_container_info",
      "A running container and its image; the value is always 1.",
      { ...l, image: c.image ?? "" },
      1,
    );
    g(
      "hwm_container_paused",
      "1 when the container is paused (frozen).",
      l,
      c.status === "paused" ? 1 : 0,
    );
    addUsage(g, "hwm_container", "container", l, c);
  }
  addOmitted(g, "containers", containers.length);
}
