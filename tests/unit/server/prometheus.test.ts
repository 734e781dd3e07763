// The Prometheus exposition: families once with HELP/TYPE, host labels, escaping, nulls left out.
import { describe, expect, test } from "bun:test";
import { renderMetrics } from "../../../src/metrics/prometheus.ts";
import type { HostInfo, Snapshot } from "../../../src/protocol/index.ts";
import { externalTool } from "../../helpers/tools.ts";

const promtool = externalTool("promtool", "prometheus", "promtool on the receiver's exposition");

const info: HostInfo = {
  v: 1,
  hostname: "pve-web",
  platform: "linux",
  os: "Debian GNU/Linux 12 (bookworm)",
  kernel: "6.1.0",
  arch: "x64",
  cpu_model: 'Intel "Xeon"',
  cpu_cores: 4,
  memory_total_bytes: 8e9,
  boot_time_ms: 1_700_000_000_000,
  hwm_version: "0.1.0",
};
const snapshot = (host: string): Snapshot => ({
  v: 1,
  host,
  ts_ms: 1,
  uptime_s: 100,
  cpu: {
    total_pct: 50,
    user_pct: 40,
    system_pct: 10,
    iowait_pct: null,
    steal_pct: 0,
    cores_pct: [25, 75],
    load: [1, 2, 3],
    freq_mhz: null,
  },
  network: [{ iface: "vmbr0", rx_bps: null, tx_bps: 10, rx_total_bytes: 5, tx_total_bytes: 6 }],
  sensors: [
    { label: 'Core "0"\\x', chip: "coretemp", celsius: 41.5, max_celsius: null, crit_celsius: 100 },
  ],
  errors: { gpus: "timed out after 5000 ms" },
});

describe("renderMetrics", () => {
  const text = renderMetrics([
    { labels: { host: "a" }, info, snapshot: snapshot("a") },
    { labels: { host: "b" }, info: null, snapshot: snapshot("b") },
  ]);

  test("each family has one HELP and one TYPE, samples of all hosts beneath", () => {
    expect(text.match(/^# HELP hwm_cpu_usage_ratio /gm)?.length).toBe(1);
    expect(text.match(/^# TYPE hwm_cpu_usage_ratio gauge$/gm)?.length).toBe(1);
    expect(text).toContain(
      'hwm_cpu_usage_ratio{host="a"} 0.5\nhwm_cpu_usage_ratio{host="b"} 0.5\n',
    );
    expect(text).toContain("# TYPE hwm_network_receive_bytes_total counter");
  });

  test("ratios are 0-1, per-core and per-mode labelled", () => {
    expect(text).toContain('hwm_cpu_core_usage_ratio{host="a",core="1"} 0.75');
    expect(text).toContain('hwm_cpu_mode_ratio{host="a",mode="user"} 0.4');
  });

  test("null values are left out, not written as 0", () => {
    expect(text).not.toContain('mode="iowait"');
    expect(text).not.toContain("hwm_network_receive_bytes_per_second");
    expect(text).not.toContain("hwm_cpu_frequency_hertz");
  });

  test("label values are escaped", () => {
    expect(text).toContain('sensor="Core \\"0\\"\\\\x"');
    expect(text).toContain('cpu_model="Intel \\"Xeon\\""');
  });

  test("failed sections are reported", () => {
    expect(text).toContain('hwm_collector_failed{host="a",section="gpus"} 1');
  });

  test.skipIf(promtool.skip)("promtool accepts it", () => {
    const check = Bun.spawnSync([promtool.path(), "check", "metrics"], {
      stdin: new TextEncoder().encode(text),
    });
    expect(check.stdout.toString() + check.stderr.toString()).toBe("");
    expect(check.exitCode).toBe(0);
  });
});
