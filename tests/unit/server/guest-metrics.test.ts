// Guests and containers on /metrics: one series set per guest, labels people can read, and a
// bound on how many guests and containers a host may put there.
import { describe, expect, test } from "bun:test";
import { METRICS_MAX_GUESTS } from "../../../src/metrics/guests.ts";
import { renderMetrics } from "../../../src/metrics/prometheus.ts";
import type { Container, Guest, Snapshot } from "../../../src/protocol/index.ts";

const usage = {
  cpu_pct: 150,
  cores: 2,
  mem_used_bytes: 1024,
  mem_limit_bytes: 4096,
  disk_read_bps: 1,
  disk_write_bps: 2,
  net_rx_bps: 3,
  net_tx_bps: null,
  uptime_s: 60,
};
const guest = (id: number): Guest => ({
  id,
  kind: "vm",
  name: `vm-${id}`,
  status: "running",
  ...usage,
});
const container = (n: number): Container => ({
  id: n.toString(16).padStart(64, "a"),
  runtime: "docker",
  name: `app-${n}`,
  image: "nginx:1.27",
  status: "paused",
  ...usage,
});
const snapshot = (extra: Partial<Snapshot>): Snapshot => ({
  v: 1,
  host: "pve",
  ts_ms: 1,
  uptime_s: 1,
  ...extra,
});
const lines = (text: string, name: string) =>
  text.split("\n").filter((l) => l.startsWith(`${name}{`));

describe("guest and container metrics", () => {
  test("one sample per family and guest, in base units; a null value is left out", () => {
    const text = renderMetrics([
      { labels: { host: "pve" }, info: null, snapshot: snapshot({ guests: [guest(100)] }) },
    ]);
    expect(text).toContain('hwm_guest_running{host="pve",id="100",name="vm-100",kind="vm"} 1\n');
    expect(text).toContain(
      'hwm_guest_cpu_usage_cores{host="pve",id="100",name="vm-100",kind="vm"} 1.5\n',
    );
    expect(text).toContain("# TYPE hwm_guest_memory_used_bytes gauge\n");
    expect(lines(text, "hwm_guest_network_transmit_bytes_per_second")).toEqual([]);
  });

  test("containers by their short id, with the image on an info series only", () => {
    const text = renderMetrics([
      { labels: {}, info: null, snapshot: snapshot({ containers: [container(1)] }) },
    ]);
    const id = container(1).id.slice(0, 12);
    expect(text).toContain(
      `hwm_container_info{id="${id}",name="app-1",runtime="docker",image="nginx:1.27"} 1\n`,
    );
    expect(text).toContain(`hwm_container_paused{id="${id}",name="app-1",runtime="docker"} 1\n`);
    expect(text).not.toMatch(/hwm_container_memory_used_bytes\{[^}]*image=/);
  });

  test(`at most ${METRICS_MAX_GUESTS} guests and containers each; the rest are counted`, () => {
    const many = Array.from({ length: METRICS_MAX_GUESTS + 100 }, (_, i) => guest(100 + i));
    const boxes = Array.from({ length: METRICS_MAX_GUESTS + 1 }, (_, i) => container(i));
    const text = renderMetrics([
      { labels: {}, info: null, snapshot: snapshot({ guests: many, containers: boxes }) },
    ]);
    expect(lines(text, "hwm_guest_running")).toHaveLength(METRICS_MAX_GUESTS);
    expect(lines(text, "hwm_container_info")).toHaveLength(METRICS_MAX_GUESTS);
    expect(text).toContain('hwm_metrics_omitted{section="guests"} 100\n');
    expect(text).toContain('hwm_metrics_omitted{section="containers"} 1\n');
  });
});
