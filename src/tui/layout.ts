// Where panels go, as pure arithmetic on the terminal size: columns of stacked panels, each
// panel given its minimum, then what it wants by priority, then spare rows to the one that grows.
// Panels that cannot get their minimum are left out (and named), so text never overlaps.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PanelRequest {
  id: string;
  /** Rows including the border. */
  min: number;
  want: number;
  /** Takes the rows nobody else wants. */
  grow?: boolean;
  /** Lower numbers are served first and dropped last. */
  priority: number;
}

export interface Placed {
  id: string;
  rect: Rect;
}

export interface Stacked {
  placed: Placed[];
  dropped: string[];
}

/** Panels top to bottom in `rect`, in the order given. */
export function stack(rect: Rect, requests: readonly PanelRequest[]): Stacked {
  const byPriority = [...requests].sort((a, b) => a.priority - b.priority);
  const kept = new Set(byPriority.map((r) => r.id));
  const dropped: string[] = [];
  let minTotal = byPriority.reduce((n, r) => n + r.min, 0);
  for (let i = byPriority.length - 1; i >= 0 && minTotal > rect.height; i--) {
    const r = byPriority[i];
    if (!r) continue;
    kept.delete(r.id);
    dropped.push(r.id);
    minTotal -= r.min;
  }
  const heights = new Map<string, number>();
  for (const r of byPriority) if (kept.has(r.id)) heights.set(r.id, r.min);
  let spare = rect.height - minTotal;
  for (const r of byPriority) {
    if (!kept.has(r.id) || spare <= 0) continue;
    const extra = Math.min(spare, Math.max(0, r.want - r.min));
    heights.set(r.id, (heights.get(r.id) ?? 0) + extra);
    spare -= extra;
  }
  const order = requests.filter((r) => kept.has(r.id));
  const grower = order.find((r) => r.grow) ?? order[order.length - 1];
  if (grower && spare > 0) heights.set(grower.id, (heights.get(grower.id) ?? 0) + spare);
  const placed: Placed[] = [];
  let y = rect.y;
  for (const r of order) {
    const height = heights.get(r.id) ?? 0;
    placed.push({ id: r.id, rect: { x: rect.x, y, width: rect.width, height } });
    y += height;
  }
  return { placed, dropped };
}

/** Split `rect` into columns by fractions of its width (the last one takes the rounding). */
export function columns(rect: Rect, fractions: readonly number[]): Rect[] {
  const out: Rect[] = [];
  let x = rect.x;
  fractions.forEach((f, i) => {
    const width = i === fractions.length - 1 ? rect.x + rect.width - x : Math.round(rect.width * f);
    out.push({ x, y: rect.y, width, height: rect.height });
    x += width;
  });
  return out;
}

/** Split `rect` into a top part of `height` rows and the rest. */
export function splitRows(rect: Rect, height: number): [Rect, Rect] {
  const h = Math.max(0, Math.min(rect.height, height));
  return [
    { ...rect, height: h },
    { ...rect, y: rect.y + h, height: rect.height - h },
  ];
}

export function merge(parts: readonly Stacked[]): Stacked {
  return { placed: parts.flatMap((p) => p.placed), dropped: parts.flatMap((p) => p.dropped) };
}
