// The host view's panels of what runs on and inside the host: its health (disks, pools, failed
// units), and on a hypervisor or container host its guests and containers. Each only when the
// host has something to show; guests and containers come with the watch of the host view.

import type { Snapshot } from "../../protocol/index.ts";
import { containersPanel } from "../panels/containers.ts";
import { guestsPanel } from "../panels/guests.ts";
import { healthPanel } from "../panels/health.ts";
import type { PanelContent, Size } from "../panels/panel.ts";
import type { PanelSpec } from "./host-panels.ts";

/** Their ids, for host-panels.ts to arrange among the rest. */
export const HEALTH_PANELS = ["health"] as const;
export const GUEST_PANELS = ["guests", "containers"] as const;

/** Two lines at least, or one for a single item, plus the border. */
const minRows = (items: number) => 2 + Math.max(1, Math.min(2, items));

/**
 * A list panel's spec, when there is something to show: items, or a section that failed (the
 * panel then says why). An empty list or a section not asked for gets none.
 */
function listSpec<Item>(
  id: string,
  priority: number,
  items: Item[] | null | undefined,
  error: string | undefined,
  panel: (items: Item[] | null | undefined, error: string | undefined, size: Size) => PanelContent,
): PanelSpec | null {
  if (!(items && items.length > 0) && !(items === null && error)) return null;
  const count = items?.length ?? 1;
  return {
    id,
    priority,
    min: minRows(count),
    rows: () => count,
    render: (size) => panel(items, error, size),
  };
}

export function insidePanelSpecs(s: Snapshot | null): PanelSpec[] {
  const errors = s?.errors ?? {};
  const specs = [
    listSpec("guests", 2.5, s?.guests, errors.guests, guestsPanel),
    listSpec("containers", 5.5, s?.containers, errors.containers, containersPanel),
  ].filter((spec) => spec !== null);
  const health = s?.health;
  if (health || errors.health) {
    // A line per disk, pool, failed unit (or "none") and source not read.
    const count = health
      ? health.disks.length +
        health.pools.length +
        Math.max(1, health.failed_units.length) +
        Object.keys(health.unavailable).length
      : 1;
    specs.push({
      id: "health",
      priority: 3.5,
      min: minRows(count),
      rows: () => count,
      render: (size) => healthPanel(health, errors.health, size),
    });
  }
  return specs;
}
