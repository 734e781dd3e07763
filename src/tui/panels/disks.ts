// Disks panel: one usage bar per mounted filesystem, and the mounts that did not fit.

import type { Disk } from "../../protocol/index.ts";
import { formatPct, formatUsedOfTotal } from "../format.ts";
import { bar, fit, type Line, seg } from "../text.ts";
import { COLORS } from "../theme.ts";
import { listed, type PanelContent, type Size } from "./panel.ts";

export function diskPct(disk: Disk): number | null {
  return disk.total_bytes && disk.used_bytes !== null
    ? (disk.used_bytes / disk.total_bytes) * 100
    : null;
}

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
    const pct = diskPct(disk);
    const amount = amountWidth
      ? ` ${fit(formatUsedOfTotal(disk.used_bytes, disk.total_bytes), amountWidth - 1, "right")}`
      : "";
    const barWidth = Math.max(3, size.width - mountWidth - 1 - 5 - amount.length);
    return [
      seg(fit(disk.mount, mountWidth)),
      seg(" "),
      ...bar(pct, barWidth),
      seg(fit(formatPct(pct), 5, "right")),
      seg(amount, COLORS.dim),
    ];
  });
  return listed(`disks ${disks.length}`, lines, size.height);
}
