// Disks panel: one usage bar per mounted filesystem, and the mounts that did not fit.

import { LIMITS } from "../../client/thresholds.ts";
import * as u from "../../client/units.ts";
import { diskUsedPct } from "../../history/metrics.ts";
import type { Disk } from "../../protocol/index.ts";
import { bar, fit, type Line, seg } from "../text.ts";
import { COLORS } from "../theme.ts";
import { listed, type PanelContent, type Size } from "./panel.ts";

export function disksPanel(disks: Disk[] | null | undefined, size: Size): PanelContent {
  const title = "disks";
  if (!disks) return { title, lines: [[seg("waiting for data…", COLORS.dim)]] };
  if (disks.length === 0) return { title, lines: [[seg("no filesystems", COLORS.dim)]] };
  const mountWidth = Math.min(
    Math.max(...disks.map((d) => d.mount.length)),
    Math.max(6, Math.floor(size.width * 0.3)),
  );
  const amountWidth = size.width >= 44 ? 15 : 0;
  const lines = disks.map((disk): Line => {
    // As df counts it: used / (used + available), so root's reserved blocks count as full.
    const pct = diskUsedPct(disk.used_bytes, disk.available_bytes);
    const amount = amountWidth
      ? ` ${fit(u.usedOfTotal(disk.used_bytes, disk.total_bytes), amountWidth - 1, "right")}`
      : "";
    const barWidth = Math.max(3, size.width - mountWidth - 1 - 5 - amount.length);
    return [
      seg(fit(disk.mount, mountWidth)),
      seg(" "),
      ...bar(pct, barWidth, LIMITS.diskPct),
      seg(fit(u.diskPct(pct), 5, "right")),
      seg(amount, COLORS.dim),
    ];
  });
  return listed(`disks ${disks.length}`, lines, size.height);
}
