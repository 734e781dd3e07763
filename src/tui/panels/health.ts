// Health panel: the host's disks with their S.M.A.R.T. verdict, temperature, power-on time and
// wear (a failing one first and in the problem colour), its pools and arrays, its failed systemd
// units, and each source it could not read with why.

import { diskName } from "../../client/health-problems.ts";
import { LIMITS } from "../../client/thresholds.ts";
import * as u from "../../client/units.ts";
import type { DiskHealth, Health } from "../../protocol/index.ts";
import { clean, fit, type Line, levelColor, seg } from "../text.ts";
import { COLORS } from "../theme.ts";
import { listed, type PanelContent, type Size, unavailable } from "./panel.ts";

function diskLine(d: DiskHealth, width: number): Line {
  const name = seg(fit(diskName(d.device), 8));
  if (d.error !== null) return [name, seg(clean(d.error), COLORS.dim)];
  const verdict =
    d.ok === false
      ? seg("▲ FAILING ", COLORS.bad, true)
      : seg(fit(d.ok ? "ok" : "no verdict", 10), d.ok ? COLORS.good : COLORS.dim);
  const line: Line = [
    name,
    verdict,
    seg(fit(u.celsius(d.celsius), 6, "right"), levelColor(d.celsius, LIMITS.celsius)),
    seg(
      fit(d.power_on_hours === null ? u.NONE : `${u.count(d.power_on_hours)} h`, 10, "right"),
      COLORS.dim,
    ),
  ];
  if (d.wear_pct !== null) line.push(seg(` wear ${u.pct(d.wear_pct)}`, COLORS.dim));
  const bad = (d.reallocated_sectors ?? 0) + (d.pending_sectors ?? 0) + (d.media_errors ?? 0);
  if (bad > 0 && width >= 48) line.push(seg(` ${u.count(bad)} bad sectors`, COLORS.bad));
  return line;
}

export function healthPanel(
  health: Health | null | undefined,
  error: string | undefined,
  size: Size,
): PanelContent {
  if (!health) return unavailable("health", error);
  // The worst first, so that a short panel still shows what is wrong.
  const disks = [...health.disks].sort((a, b) => Number(a.ok !== false) - Number(b.ok !== false));
  const lines: Line[] = disks.map((d) => diskLine(d, size.width));
  for (const p of [...health.pools].sort((a, b) => Number(a.ok) - Number(b.ok)))
    lines.push([
      seg(fit(clean(p.name), 8)),
      seg(`${p.ok ? "" : "▲ "}${clean(p.state)}`, p.ok ? COLORS.good : COLORS.bad, !p.ok),
      seg(` ${p.kind} ${p.devices - p.failed_devices}/${p.devices} working`, COLORS.dim),
    ]);
  for (const unit of health.failed_units)
    lines.unshift([
      seg("▲ ", COLORS.bad),
      seg(clean(unit.name), COLORS.bad, true),
      seg(" failed", COLORS.bad),
    ]);
  if (health.unavailable.units === undefined && health.failed_units.length === 0)
    lines.push([seg("no failed units", COLORS.dim)]);
  for (const [source, why] of Object.entries(health.unavailable))
    lines.push([seg(`${source}: ${clean(why ?? "")}`, COLORS.dim)]);
  const failing = disks.filter((d) => d.ok === false).length;
  const title =
    failing > 0 ? `health · ${failing} ${failing === 1 ? "disk" : "disks"} failing` : "health";
  return listed(title, lines, size.height);
}
