// The screen as data: boxes with titled lines at fixed places, a header and a status line, the
// help overlay, and the regions a click or the wheel can hit. Built by the views, drawn by widgets.
import type { Rect } from "../layout.ts";
import type { PanelContent } from "../panels/panel.ts";
import type { Hit, ScreenFacts } from "../state.ts";
import type { Line } from "../text.ts";

export interface BoxModel extends PanelContent {
  id: string;
  rect: Rect;
}

export interface HitRegion {
  rect: Rect;
  hit: Hit;
}

export interface ScreenModel {
  width: number;
  height: number;
  header: Line;
  status: Line;
  boxes: BoxModel[];
  overlay: BoxModel | null;
  /** Most specific first: the first region that contains a point wins. */
  hits: HitRegion[];
  facts: ScreenFacts;
  /** The host whose graphs are on screen (the host view's, or the fleet's preview). */
  graphedId: string | null;
}

/** The area inside a box's border. */
export function inner(rect: Rect): Rect {
  return {
    x: rect.x + 1,
    y: rect.y + 1,
    width: Math.max(0, rect.width - 2),
    height: Math.max(0, rect.height - 2),
  };
}

export function hitAt(model: ScreenModel, x: number, y: number): Hit | null {
  for (const { rect, hit } of model.hits) {
    if (x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height) {
      return hit;
    }
  }
  return null;
}
