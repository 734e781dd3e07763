// The header line (what is shown: the fleet with its firing alerts, or a host with its alerts,
// OS, kernel, CPU and uptime) and the status line (connection, filter being typed, warnings, the
// keys that matter here).

import * as u from "../../client/units.ts";
import type { FiringAlert, HostState } from "../../protocol/index.ts";
import type { SourceState } from "../source.ts";
import type { UiState } from "../state.ts";
import { clean, type Line, lineWidth, seg, truncate, width } from "../text.ts";
import { COLORS, STATUS_STYLE } from "../theme.ts";

export interface Notice {
  level: "warn" | "error";
  text: string;
}

export function fleetHeader(state: SourceState): Line {
  const counts = new Map<string, number>();
  for (const h of state.hosts) counts.set(h.status, (counts.get(h.status) ?? 0) + 1);
  const summary = [...counts].map(([status, n]) => `${n} ${status}`).join(" · ");
  const firing = state.hosts.reduce((n, h) => n + (h.alerts?.length ?? 0), 0);
  return [
    seg(" hwm ", COLORS.title, true),
    seg(" fleet ", undefined, true),
    seg(`${state.url}`, COLORS.dim),
    seg(summary ? `  ${summary}` : ""),
    seg(firing > 0 ? `  ▲ ${firing} alert${firing === 1 ? "" : "s"} firing` : "", COLORS.bad, true),
  ];
}

/** A message below this many columns says too little: the count alone is shown then. */
const ALERT_MESSAGE_MIN = 12;

/** "▲ the first alert's message +2 more", cut to `room` columns so that the count stays. */
function alertSegments(hostId: string, alerts: readonly FiringAlert[], room: number): Line {
  const first = alerts[0];
  if (!first) return [];
  // Messages name their host for notifications ("web-1: …"); the header names it already.
  const prefix = `${hostId}: `;
  const message = first.message.startsWith(prefix)
    ? first.message.slice(prefix.length)
    : first.message;
  const more = alerts.length > 1 ? ` +${alerts.length - 1} more` : "";
  const lead = "  ▲ ";
  const messageRoom = room - width(lead) - width(more);
  if (messageRoom < ALERT_MESSAGE_MIN) {
    return [seg(`  ▲${alerts.length} alert${alerts.length === 1 ? "" : "s"}`, COLORS.bad, true)];
  }
  return [
    seg(lead, COLORS.bad, true),
    seg(truncate(clean(message), messageRoom), COLORS.bad, true),
    seg(more, COLORS.bad),
  ];
}

export function hostHeader(host: HostState, nowMs: number, columns: number): Line {
  const info = host.info;
  const style = STATUS_STYLE[host.status];
  // Why it is not online comes right after: the part most worth reading.
  const status =
    host.status === "online"
      ? `${style.mark} online`
      : `${style.mark} ${host.status} · last seen ${u.ago(host.last_seen_ms, nowMs)}${host.last_error ? ` · ${clean(host.last_error)}` : ""}`;
  // Most telling first: the line is cut at the terminal's edge.
  const facts = [
    `up ${u.duration(host.snapshot?.uptime_s)}`,
    ...(info
      ? [
          `${info.cpu_cores} cores`,
          u.bytes(info.memory_total_bytes),
          info.os,
          info.kernel,
          info.arch,
        ]
      : []),
  ];
  const head: Line = [
    seg(" hwm ", COLORS.title, true),
    seg(` ${host.id} `, undefined, true),
    seg(status, style.color),
  ];
  return [
    ...head,
    // Before the facts: what needs attention must not be the part cut at the edge.
    ...alertSegments(host.id, host.alerts ?? [], columns - lineWidth(head)),
    seg(facts.length ? `  ${facts.join(" · ")}` : "", COLORS.dim),
  ];
}

function linkSegment(state: SourceState): Line {
  if (state.link === "live") return [seg("● live", COLORS.good)];
  const word = state.link === "connecting" ? "◌ connecting…" : "⟳ reconnecting…";
  return [seg(word, COLORS.warn, true), seg(state.problem ? ` ${state.problem}` : "", COLORS.warn)];
}

export function statusLine(
  state: SourceState,
  ui: UiState,
  notice: Notice | null,
  dropped: readonly string[],
): Line {
  const line: Line = [seg(" "), ...linkSegment(state), seg("  ")];
  if (ui.editing) {
    line.push(
      seg("filter: ", COLORS.title, true),
      seg(`${ui.editing.draft}█`),
      seg("  Enter keep · Esc cancel", COLORS.dim),
    );
    return line;
  }
  if (notice)
    line.push(seg(`${notice.text}  `, notice.level === "error" ? COLORS.bad : COLORS.warn));
  const keys =
    state.kind === null
      ? "q quit"
      : ui.view === "fleet"
        ? "↑↓ select  Enter open  s sort  / filter  ? help  q quit"
        : state.kind === "sender"
          ? "c m p n sort  ↑↓ scroll  / filter  ? help  q quit"
          : "c m p n sort  ↑↓ scroll  / filter  Esc back  ? help  q quit";
  line.push(seg(keys, COLORS.dim));
  if (dropped.length > 0) {
    const names = dropped.map((d) => d.replace("_", " ")).join(", ");
    line.push(seg(`  (no room for ${names})`, COLORS.dim));
  }
  return line;
}
