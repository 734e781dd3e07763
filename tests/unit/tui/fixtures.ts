// Fleet data for the dashboard's tests: a fixed clock, three hosts (a busy 8-core host with
// sensors and a GPU, a small VM, one that went offline), validated against the wire schemas,
// and a DataSource that the test drives by hand (its recorded history answered by the test).
import * as v from "valibot";
import type { ApiResult, HistoryQuery } from "../../../src/client/api.ts";
import {
  type HistoryResponse,
  type HostState,
  HostStateSchema,
  type ProcessInfo,
  type Snapshot,
  SnapshotSchema,
} from "../../../src/protocol/index.ts";
import { type DataSource, initialState, type SourceState } from "../../../src/tui/source.ts";

export const NOW_MS = 1_763_790_000_000;
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function processes(): ProcessInfo[] {
  const names = ["postgres", "nginx", "node", "sshd", "systemd", "cron", "rsyslogd", "bash"];
  return names.map((name, i) => ({
    pid: [4211, 812, 30555, 644, 1, 702, 590, 31001][i] ?? i,
    name,
    user: i === 2 ? "www-data" : i === 0 ? "postgres" : "root",
    cpu_pct: [38.5, 12.25, 64.5, 0.5, 0.1, 0, 1.5, 0][i] ?? 0,
    mem_bytes:
      [812 * MiB, 24 * MiB, 310 * MiB, 6 * MiB, 12 * MiB, 3 * MiB, 5 * MiB, 4 * MiB][i] ?? 0,
    state: i === 2 ? "R" : "S",
  }));
}

export function busySnapshot(tsMs = NOW_MS, cpuPct = 47.5): Snapshot {
  return v.parse(SnapshotSchema, {
    v: 1,
    host: "pve-web",
    ts_ms: tsMs,
    uptime_s: 3 * 86_400 + 4 * 3600 + 120,
    cpu: {
      total_pct: cpuPct,
      user_pct: 38,
      system_pct: 8,
      iowait_pct: 1.5,
      steal_pct: 0,
      cores_pct: [92, 12, 55, 40, 3, 77, 61, 30],
      load: [2.41, 1.87, 1.02],
      freq_mhz: 3400,
    },
    memory: {
      total_bytes: 32 * GiB,
      used_bytes: 12.5 * GiB,
      available_bytes: 19.5 * GiB,
      cached_bytes: 9 * GiB,
      swap_total_bytes: 4 * GiB,
      swap_used_bytes: 256 * MiB,
    },
    disks: [
      {
        mount: "/",
        fs: "ext4",
        device: "/dev/sda1",
        total_bytes: 100 * GiB,
        used_bytes: 61 * GiB,
        available_bytes: 39 * GiB,
      },
      {
        mount: "/var/lib/postgresql",
        fs: "xfs",
        device: "/dev/sdb1",
        total_bytes: 500 * GiB,
        used_bytes: 465 * GiB,
        available_bytes: 35 * GiB,
      },
      {
        mount: "/boot",
        fs: "ext4",
        device: "/dev/sda2",
        total_bytes: 1 * GiB,
        used_bytes: 200 * MiB,
        available_bytes: 824 * MiB,
      },
    ],
    disk_io: [
      {
        device: "sda",
        read_bps: 1.5 * MiB,
        write_bps: 320 * 1024,
        busy_pct: 12,
        read_total_bytes: 10 * GiB,
        write_total_bytes: 20 * GiB,
      },
      {
        device: "sdb",
        read_bps: 0,
        write_bps: 12 * MiB,
        busy_pct: 64,
        read_total_bytes: 5 * GiB,
        write_total_bytes: 90 * GiB,
      },
    ],
    network: [
      {
        iface: "eth0",
        rx_bps: 2.5 * MiB,
        tx_bps: 640 * 1024,
        rx_total_bytes: 900 * GiB,
        tx_total_bytes: 120 * GiB,
      },
      {
        iface: "wg0",
        rx_bps: 12 * 1024,
        tx_bps: 3 * 1024,
        rx_total_bytes: 2 * GiB,
        tx_total_bytes: 1 * GiB,
      },
    ],
    sensors: [
      { label: "Package id 0", chip: "coretemp", celsius: 71, max_celsius: 84, crit_celsius: 100 },
      { label: "Core 0", chip: "coretemp", celsius: 68, max_celsius: 84, crit_celsius: 100 },
      { label: "Composite", chip: "nvme", celsius: 44, max_celsius: 70, crit_celsius: 80 },
    ],
    gpus: [
      {
        name: "NVIDIA GeForce RTX 3060",
        vendor: "nvidia",
        util_pct: 35,
        mem_used_bytes: 3 * GiB,
        mem_total_bytes: 12 * GiB,
        celsius: 61,
        power_watts: 98,
      },
    ],
    processes: { count: 213, running: 3, top: processes() },
  });
}

export function smallSnapshot(tsMs = NOW_MS): Snapshot {
  return v.parse(SnapshotSchema, {
    v: 1,
    host: "dns",
    ts_ms: tsMs,
    uptime_s: 5 * 3600 + 12 * 60,
    cpu: {
      total_pct: 3.2,
      user_pct: 2,
      system_pct: 1,
      iowait_pct: 0,
      steal_pct: 0.2,
      cores_pct: [4, 2.5],
      load: [0.05, 0.1, 0.08],
      freq_mhz: null,
    },
    memory: {
      total_bytes: 2 * GiB,
      used_bytes: 0.5 * GiB,
      available_bytes: 1.5 * GiB,
      cached_bytes: null,
      swap_total_bytes: 0,
      swap_used_bytes: 0,
    },
    disks: [
      {
        mount: "/",
        fs: "ext4",
        device: "/dev/vda1",
        total_bytes: 20 * GiB,
        used_bytes: 4 * GiB,
        available_bytes: 16 * GiB,
      },
    ],
    disk_io: [
      {
        device: "vda",
        read_bps: 0,
        write_bps: 4096,
        busy_pct: 0,
        read_total_bytes: GiB,
        write_total_bytes: GiB,
      },
    ],
    network: [
      { iface: "ens18", rx_bps: 800, tx_bps: 1200, rx_total_bytes: GiB, tx_total_bytes: GiB },
    ],
    sensors: [],
    gpus: [],
  });
}

function host(state: Omit<HostState, "url"> & { url?: string }): HostState {
  return v.parse(HostStateSchema, { url: `http://${state.id}:7070`, ...state });
}

function info(hostname: string, cores: number, memory: number) {
  return {
    v: 1 as const,
    hostname,
    platform: "linux",
    os: "Debian GNU/Linux 12 (bookworm)",
    kernel: "6.1.0-18-amd64",
    arch: "x64",
    cpu_model: "Intel(R) Xeon(R) E-2236 CPU @ 3.40GHz",
    cpu_cores: cores,
    memory_total_bytes: memory,
    boot_time_ms: NOW_MS - 3 * 86_400_000,
    hwm_version: "0.1.0",
  };
}

export function fleetHosts(tsMs = NOW_MS, cpuPct = 47.5): HostState[] {
  const fleet = busySnapshot(tsMs, cpuPct);
  delete fleet.processes;
  return [
    host({
      id: "pve-web",
      status: "online",
      info: info("pve-web", 8, 32 * GiB),
      snapshot: fleet,
      last_seen_ms: tsMs,
      last_error: null,
    }),
    host({
      id: "dns",
      status: "online",
      info: info("dns", 2, 2 * GiB),
      snapshot: smallSnapshot(tsMs),
      last_seen_ms: tsMs,
      last_error: null,
    }),
    host({
      id: "backup-nas",
      status: "offline",
      info: info("backup-nas", 4, 8 * GiB),
      snapshot: smallSnapshot(NOW_MS - 600_000),
      last_seen_ms: NOW_MS - 180_000,
      last_error: "unreachable: connection refused",
    }),
  ];
}

/** A DataSource whose state the test sets; it records what the dashboard watches and asks. */
export class FakeSource implements DataSource {
  state: SourceState;
  readonly watched: (string | null)[] = [];
  readonly historyAsked: { id: string; query: HistoryQuery; timeoutMs: number }[] = [];
  /** How a history request is answered; by default the node has none. */
  answerHistory: (id: string) => Promise<ApiResult<HistoryResponse>> = async () => ({
    ok: false,
    error: { kind: "http", status: 404, message: "history is off on this receiver" },
  });
  closed = false;
  private readonly listeners = new Set<() => void>();

  constructor(state: Partial<SourceState> = {}) {
    this.state = { ...initialState("http://10.0.0.2:7070", 1000), ...state };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  watch(hostId: string | null): void {
    this.watched.push(hostId);
  }

  history(id: string, query: HistoryQuery, timeoutMs: number): Promise<ApiResult<HistoryResponse>> {
    this.historyAsked.push({ id, query, timeoutMs });
    return this.answerHistory(id);
  }

  close(): void {
    this.closed = true;
  }

  set(patch: Partial<SourceState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

export function receiverSource(): FakeSource {
  return new FakeSource({ kind: "receiver", link: "live", hosts: fleetHosts() });
}

export function senderSource(): FakeSource {
  const snapshot = busySnapshot();
  return new FakeSource({
    kind: "sender",
    link: "live",
    url: "http://127.0.0.1:7070",
    hosts: [
      host({
        id: "pve-web",
        url: "http://127.0.0.1:7070",
        status: "online",
        info: info("pve-web", 8, 32 * GiB),
        snapshot,
        last_seen_ms: NOW_MS,
        last_error: null,
      }),
    ],
  });
}

/** A large host: 64 cores, many mounts, interfaces, sensors and GPUs, long names. */
export function bigSnapshot(tsMs = NOW_MS): Snapshot {
  const base = busySnapshot(tsMs);
  const disk = base.disks?.[0];
  const net = base.network?.[0];
  const sensor = base.sensors?.[0];
  const gpu = base.gpus?.[0];
  const proc = base.processes?.top[0];
  if (!base.cpu || !disk || !net || !sensor || !gpu || !proc || !base.processes)
    throw new Error("fixture");
  return v.parse(SnapshotSchema, {
    ...base,
    cpu: { ...base.cpu, cores_pct: Array.from({ length: 64 }, (_, i) => (i * 37) % 101) },
    disks: Array.from({ length: 20 }, (_, i) => ({
      ...disk,
      mount: `/srv/storage/pool-${i}/a-rather-long-dataset-name`,
    })),
    network: Array.from({ length: 10 }, (_, i) => ({ ...net, iface: `enp${i}s0f1-very-long` })),
    sensors: Array.from({ length: 30 }, (_, i) => ({
      ...sensor,
      label: `Core ${i}`,
      celsius: 40 + i,
    })),
    gpus: Array.from({ length: 4 }, () => gpu),
    processes: {
      ...base.processes,
      top: Array.from({ length: 50 }, (_, i) => ({
        ...proc,
        pid: 100_000 + i,
        name: `a-process-with-a-very-long-name-number-${i}-日本語`,
        user: "a-long-user-name",
      })),
    },
  });
}

/** The fleet with firing alerts: two on pve-web, the offline rule on backup-nas. */
export function alertingHosts(): HostState[] {
  const alerts: Record<string, HostState["alerts"]> = {
    "pve-web": [
      {
        rule: "disk_full",
        key: "/var/lib/postgresql",
        since_ms: NOW_MS - 300_000,
        message: "pve-web: disks[/var/lib/postgresql].used_pct is 93.0 % (> 90) for 5 min",
      },
      {
        rule: "hot_cpu",
        key: null,
        since_ms: NOW_MS - 120_000,
        message: "pve-web: sensors.max_celsius is 71 °C (> 70) for 2 min",
      },
    ],
    "backup-nas": [
      {
        rule: "offline",
        key: null,
        since_ms: NOW_MS - 120_000,
        message: "backup-nas is offline: unreachable: connection refused (since 14:02)",
      },
    ],
  };
  return fleetHosts().map((h) => (alerts[h.id] ? host({ ...h, alerts: alerts[h.id] }) : h));
}

/**
 * What the node recorded of a host's last hour, one point per 15 s step up to NOW_MS: CPU
 * climbing from 5% to 95%, eth0 receiving a burst in the middle of the hour.
 */
export function recordedHour(id = "pve-web", stepMs = 15_000): HistoryResponse {
  const steps = 3_600_000 / stepMs;
  const times = Array.from({ length: steps }, (_, i) => NOW_MS - (steps - i) * stepMs);
  return {
    host: id,
    from_ms: NOW_MS - 3_600_000,
    to_ms: NOW_MS,
    step_ms: stepMs,
    agg: "avg",
    series: {
      "cpu.total_pct": times.map((t, i) => [t, 5 + (90 * i) / (steps - 1)]),
      "network[eth0].rx_bps": times.map((t, i) => [
        t,
        Math.abs(i - steps / 2) < steps / 8 ? 40 * MiB : MiB,
      ]),
      "network[eth0].tx_bps": times.map((t) => [t, 256 * 1024]),
    },
  };
}
