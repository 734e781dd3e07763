// A node's HTTP app and WebSocket handlers built in-process the way src/node.ts composes them,
// without listening: routes are asked with app.request() and WS handlers are called directly,
// for tests that need no real socket (route checks, fuzzing).
import type { Collector } from "../../src/collect/index.ts";
import type { SenderConfig } from "../../src/config/types.ts";
import type { HistoryAccess } from "../../src/history/backend.ts";
import { Recorder } from "../../src/history/recorder.ts";
import type { SqliteHistory } from "../../src/history/sqlite.ts";
import { type Logger, silentLogger } from "../../src/log.ts";
import type { AlertsResponse, HostInfo, Section, Snapshot } from "../../src/protocol/index.ts";
import { addHistoryRoutes } from "../../src/receiver/history-routes.ts";
import { Receiver } from "../../src/receiver/receiver.ts";
import { addReceiverRoutes } from "../../src/receiver/routes.ts";
import { addSenderRoutes } from "../../src/sender/routes.ts";
import { senderWsHandler } from "../../src/sender/ws.ts";
import type { AuthPolicy } from "../../src/server/auth.ts";
import { createHttpApp, type HttpApp } from "../../src/server/http.ts";
import { AuthBackoff } from "../../src/server/limits.ts";
import type { WsConnection, WsHandler } from "../../src/server/serve.ts";
import { addSessionRoutes } from "../../src/server/session-routes.ts";
import { SessionStore } from "../../src/server/sessions.ts";

export const INFO: HostInfo = {
  v: 1,
  hostname: "pve-web",
  platform: "linux",
  os: "Debian GNU/Linux 12 (bookworm)",
  kernel: "6.1.0-18-amd64",
  arch: "x64",
  cpu_model: "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz",
  cpu_cores: 2,
  memory_total_bytes: 8 * 1024 ** 3,
  boot_time_ms: 1_763_700_000_000,
  hwm_version: "0.1.0",
};

const FULL: Omit<Snapshot, "ts_ms"> = {
  v: 1,
  host: "pve-web",
  uptime_s: 86_400,
  cpu: {
    total_pct: 12.5,
    user_pct: 8,
    system_pct: 4.5,
    iowait_pct: 0,
    steal_pct: null,
    cores_pct: [10, 15],
    load: [0.5, 0.4, 0.3],
    freq_mhz: 2400,
  },
  memory: {
    total_bytes: 8 * 1024 ** 3,
    used_bytes: 2 * 1024 ** 3,
    available_bytes: 6 * 1024 ** 3,
    cached_bytes: 1024 ** 3,
    swap_total_bytes: 0,
    swap_used_bytes: 0,
  },
  disks: [
    {
      mount: "/",
      fs: "ext4",
      device: "/dev/sda1",
      total_bytes: 100e9,
      used_bytes: 40e9,
      available_bytes: 60e9,
    },
  ],
  disk_io: [
    {
      device: "sda",
      read_bps: 1000,
      write_bps: 2000,
      busy_pct: 3,
      read_total_bytes: 1e9,
      write_total_bytes: 2e9,
    },
  ],
  network: [{ iface: "eth0", rx_bps: 100, tx_bps: 50, rx_total_bytes: 1e6, tx_total_bytes: 5e5 }],
  sensors: [
    { label: "Package id 0", chip: "coretemp", celsius: 51, max_celsius: 80, crit_celsius: 100 },
  ],
  gpus: [],
  processes: {
    count: 2,
    running: 1,
    top: [
      { pid: 1, name: "systemd", user: "root", cpu_pct: 0.1, mem_bytes: 1e7, state: "S" },
      { pid: 42, name: "hwm", user: "hwm", cpu_pct: 1.5, mem_bytes: 5e7, state: "R" },
    ],
  },
  guests: [
    {
      id: 100,
      kind: "vm",
      name: "web",
      status: "running",
      cpu_pct: 50,
      cores: 2,
      mem_used_bytes: 2.4e9,
      mem_limit_bytes: 4_294_967_296,
      disk_read_bps: 4096,
      disk_write_bps: 0,
      net_rx_bps: 1000,
      net_tx_bps: null,
      uptime_s: 3600,
    },
  ],
  containers: [
    {
      id: "4f6a9c0d2b8e1f3a5c7d9e0b1a2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e",
      runtime: "docker",
      name: "web",
      image: "nginx:1.27",
      status: "running",
      cpu_pct: 1.5,
      cores: null,
      mem_used_bytes: 1.4e8,
      mem_limit_bytes: null,
      disk_read_bps: 0,
      disk_write_bps: 0,
      net_rx_bps: 10,
      net_tx_bps: 20,
      uptime_s: 60,
    },
  ],
};

/** A collector that answers at once with fixed, valid data: the routes are under test, not /proc. */
export function fakeCollector(): Collector & { snapshots: number } {
  const collector = {
    snapshots: 0,
    async info() {
      return { ...INFO };
    },
    async snapshot(sections: readonly Section[]): Promise<Snapshot> {
      collector.snapshots += 1;
      const snap: Snapshot = { v: 1, host: FULL.host, ts_ms: Date.now(), uptime_s: FULL.uptime_s };
      for (const section of sections) Object.assign(snap, { [section]: FULL[section] });
      return structuredClone(snap);
    },
  };
  return collector;
}

/** A WebSocket connection that records what the handler sends. */
export interface FakeConn extends WsConnection {
  readonly sent: string[];
  readonly pings: string[];
  closed: { code?: number; reason?: string } | null;
  terminated: boolean;
}

let nextConnId = 1;

export function fakeConn(clientAddress = "127.0.0.1"): FakeConn {
  const sent: string[] = [];
  const conn: FakeConn = {
    id: nextConnId++,
    clientAddress,
    sent,
    pings: [],
    closed: null,
    terminated: false,
    send: (text) => sent.push(text) > 0,
    bufferedBytes: () => 0,
    ping: (payload) => void conn.pings.push(payload),
    close: (code, reason) => {
      conn.closed = { code, reason };
    },
    terminate: () => {
      conn.terminated = true;
    },
  };
  return conn;
}

export interface InProcessNode {
  app: HttpApp;
  policy: AuthPolicy;
  /** WS /api/v1/ws (sender roles). */
  senderWs: WsHandler | null;
  /** WS /api/v1/live (receiver roles). */
  liveWs: WsHandler | null;
  receiver: Receiver | null;
  stop(): void;
}

export interface InProcessOptions {
  role: "sender" | "receiver" | "both";
  token: string | null;
  collector?: Collector;
  /** The receiver's history: a store (recorded into as well), or why there is none (null: off). */
  history?: SqliteHistory | { unavailable: string } | null;
  /** Remote senders of a receiver. */
  senders?: readonly SenderConfig[];
  /** The local host's id in role both (default: INFO's hostname). */
  localId?: string;
  alerts?: ((nowMs: number) => AlertsResponse) | null;
  secure?: boolean;
  allowedOrigins?: readonly string[];
  log?: Logger;
}

/** The app of a node, composed as startNode does; `local` is the role-both host's id. */
export function inProcessNode(options: InProcessOptions): InProcessNode {
  const log = options.log ?? silentLogger;
  const hasSender = options.role !== "receiver";
  const hasReceiver = options.role !== "sender";
  // One secret for every route (the fleet token doubles as the dashboard's, as without
  // [dashboard] token); sessions in memory only.
  const policy: AuthPolicy = {
    token: options.token,
    backoff: new AuthBackoff(),
    sessions: hasReceiver ? new SessionStore({ secret: options.token, file: null }) : undefined,
    tls: options.secure ?? false,
  };
  const app = createHttpApp(policy, log);
  const collector = hasSender ? (options.collector ?? fakeCollector()) : null;
  let senderWs: WsHandler | null = null;
  if (collector) {
    addSenderRoutes(app, collector, { metrics: !hasReceiver });
    senderWs = senderWsHandler(collector, log);
  }
  let receiver: Receiver | null = null;
  if (hasReceiver) {
    const history = options.history ?? null;
    const store = history !== null && !("unavailable" in history) ? history : null;
    receiver = new Receiver({
      intervalMs: 1000,
      token: options.token,
      senders: options.senders ?? [],
      local: collector ? { id: options.localId ?? INFO.hostname, collector } : null,
      log,
      recorder: store ? new Recorder(store, 1000) : null,
    });
    const fleet = receiver.fleet;
    const access: HistoryAccess =
      history === null
        ? { reader: null, unavailable: null }
        : "unavailable" in history
          ? { reader: null, unavailable: history.unavailable }
          : { reader: history, unavailable: null };
    addSessionRoutes(app, policy, options.secure ?? false, options.allowedOrigins ?? []);
    addReceiverRoutes(app, receiver, {
      history: access.reader ? "sqlite" : null,
      alerts: options.alerts != null,
    });
    addHistoryRoutes(app, {
      history: access,
      hasHost: (id) => fleet.has(id),
      hostIds: () => fleet.ids(),
      alerts: options.alerts ?? null,
    });
  }
  return {
    app,
    policy,
    senderWs,
    liveWs: receiver?.liveHandler() ?? null,
    receiver,
    stop: () => receiver?.stop(),
  };
}
