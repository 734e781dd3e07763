// Containers panel: a host's Docker, Podman and containerd containers, the busiest first, each
// with its status, image when there is room, CPU (percent of one core), memory and uptime.

import type { Container } from "../../protocol/index.ts";
import { clean, fit, type Line, seg } from "../text.ts";
import { COLORS } from "../theme.ts";
import { busiestFirst, statusMark, usageCells, usageWidth } from "./guests.ts";
import { listed, type PanelContent, type Size, unavailable } from "./panel.ts";

/** Its name, or its short id as `docker ps` shows it. */
const containerName = (c: Container) => clean(c.name ?? c.id.slice(0, 12));

export function containersPanel(
  containers: Container[] | null | undefined,
  error: string | undefined,
  size: Size,
): PanelContent {
  if (!containers) return unavailable("containers", error);
  const free = Math.max(4, size.width - 2 - usageWidth(size.width));
  // The image gets a column when the name keeps at least 14.
  const imageWidth = free >= 34 ? Math.min(28, free - 14) : 0;
  const nameWidth = free - imageWidth;
  const lines = busiestFirst(containers, containerName).map(
    (c): Line => [
      statusMark(c),
      seg(fit(containerName(c), nameWidth)),
      ...(imageWidth > 0
        ? [seg(fit(clean(c.image ?? ""), imageWidth - 1), COLORS.dim), seg(" ")]
        : []),
      ...usageCells(c, size.width),
    ],
  );
  return listed(`containers ${containers.length}`, lines, size.height);
}
