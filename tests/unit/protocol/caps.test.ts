// What a sender may send is capped: long strings and long lists fail with their path, and a huge
// list is refused on its length before its items are looked at.
import { expect, test } from "bun:test";
import {
  decode,
  HostInfoSchema,
  PROTOCOL_CAPS,
  type Snapshot,
  SnapshotSchema,
  WsResponseSchema,
} from "../../../src/protocol/index.ts";

const snapshot = (patch: Partial<Snapshot>): Snapshot => ({
  v: 1,
  host: "nas",
  ts_ms: 1,
  uptime_s: 1,
  ...patch,
});

const cpu = (cores: number) => ({
  total_pct: 1,
  user_pct: 1,
  system_pct: 0,
  iowait_pct: null,
  steal_pct: null,
  cores_pct: new Array(cores).fill(1),
  load: null,
  freq_mhz: null,
});

test("lists at their cap pass; one more fails, naming the path and the cap", () => {
  expect(decode(SnapshotSchema, snapshot({ cpu: cpu(PROTOCOL_CAPS.cores) })).ok).toBe(true);
  expect(decode(SnapshotSchema, snapshot({ cpu: cpu(PROTOCOL_CAPS.cores + 1) }))).toEqual({
    ok: false,
    error: `cpu.cores_pct: at most 8192 items, got ${PROTOCOL_CAPS.cores + 1}`,
  });
  const iface = { iface: "eth0", rx_bps: 1, tx_bps: 1, rx_total_bytes: 1, tx_total_bytes: 1 };
  const network = new Array(PROTOCOL_CAPS.interfaces + 1).fill(iface);
  const decoded = decode(SnapshotSchema, snapshot({ network }));
  expect(decoded.ok).toBe(false);
  if (!decoded.ok) expect(decoded.error).toStartWith("network: at most 2048 items");
});

test("a 6-million-item list is refused on its length, in well under a millisecond", () => {
  const message = {
    id: 1,
    type: "snapshot",
    data: snapshot({ cpu: { ...cpu(0), cores_pct: new Array(6_000_000).fill(1) } }),
  };
  const startMs = performance.now();
  const decoded = decode(WsResponseSchema, message);
  const tookMs = performance.now() - startMs;
  expect(decoded.ok).toBe(false);
  expect(tookMs).toBeLessThan(5);
});

test("names are capped", () => {
  const info = {
    v: 1,
    hostname: "x".repeat(PROTOCOL_CAPS.nameChars + 1),
    platform: "linux",
    os: "Debian",
    kernel: "6.1",
    arch: "x64",
    cpu_model: "cpu",
    cpu_cores: 4,
    memory_total_bytes: 1,
    boot_time_ms: null,
    hwm_version: "0.1.0",
  };
  const decoded = decode(HostInfoSchema, info);
  expect(decoded.ok).toBe(false);
  if (!decoded.ok) expect(decoded.error).toStartWith("hostname: Invalid length");
});
