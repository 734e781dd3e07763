// Disk IO panel: read and write bytes per second and busy share per block device.

import * as u from "../../client/units.ts";
import type { DiskIo } from "../../protocol/index.ts";
import { fit, type Line, seg } from "../text.ts";
import { COLORS } from "../theme.ts";
import { listed, type PanelContent, type Size } from "./panel.ts";

export function diskIoPanel(devices: DiskIo[] | null | undefined, size: Size): PanelContent {
  const title = "disk io";
  if (!devices) return { title, lines: [[seg("waiting for data…", COLORS.dim)]] };
  if (devices.length === 0) return { title, lines: [[seg("no block devices", COLORS.dim)]] };
  const longest = Math.max(...devices.map((d) => d.device.length));
  const nameWidth = Math.min(longest, 12, Math.max(3, size.width - 30));
  const showBusy = size.width >= nameWidth + 30 + 10;
  const lines = devices.map(
    (d): Line => [
      seg(fit(d.device, nameWidth)),
      seg(" r ", COLORS.dim),
      seg(fit(u.rate(d.read_bps), 12, "right"), COLORS.rx),
      seg(" w ", COLORS.dim),
      seg(fit(u.rate(d.write_bps), 12, "right"), COLORS.tx),
      ...(showBusy ? [seg(` ${fit(u.pct(d.busy_pct), 4, "right")} busy`, COLORS.dim)] : []),
    ],
  );
  return listed("disk io (bytes/s)", lines, size.height);
}
