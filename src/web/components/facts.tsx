/** @jsxImportSource preact */
// A host's static facts (HostInfo) and where the receiver reaches it.

import * as f from "../../client/units.ts";
import type { HostState } from "../../protocol/index.ts";

export function Facts({ host, nowMs }: { host: HostState; nowMs: number }) {
  const info = host.info;
  const rows: [string, string][] = [
    ["Hostname", info?.hostname ?? f.NONE],
    ["OS", info?.os ?? f.NONE],
    ["Kernel", info ? `${info.kernel} (${info.arch})` : f.NONE],
    ["CPU", info ? `${info.cpu_model} · ${info.cpu_cores} cores` : f.NONE],
    ["Memory", f.bytes(info?.memory_total_bytes)],
    ["Uptime", f.duration(host.snapshot?.uptime_s)],
    ["Booted", f.dateTime(info?.boot_time_ms)],
    ["hwm", info?.hwm_version ?? f.NONE],
    ["Polled at", host.url === "local" ? "this receiver (in-process)" : host.url],
    ["Last seen", f.ago(host.last_seen_ms, nowMs)],
  ];
  if (host.last_error) rows.push(["Last error", host.last_error]);
  return (
    <dl class="facts-grid">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
