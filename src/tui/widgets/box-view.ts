// BoxView: a bordered panel with a title and lines of styled text, clipped to its inside;
// one line may be drawn on the selection background. Positioned absolutely by the app.
import { type OptimizedBuffer, Renderable, type RenderContext } from "@opentui/core";
import type { Rect } from "../layout.ts";
import { type Line, truncate } from "../text.ts";
import { COLORS } from "../theme.ts";
import { drawLine, rgba } from "./paint.ts";

export interface BoxViewOptions {
  rect: Rect;
  title?: string;
  lines?: Line[];
  highlight?: number;
  zIndex?: number;
}

const DEFAULTS = { title: "", lines: [] as Line[], highlight: -1, zIndex: 0 };

export class BoxView extends Renderable {
  private _title = DEFAULTS.title;
  private _lines: Line[] = DEFAULTS.lines;
  private _highlight = DEFAULTS.highlight;

  constructor(ctx: RenderContext, options: BoxViewOptions) {
    super(ctx, {
      position: "absolute",
      left: options.rect.x,
      top: options.rect.y,
      width: options.rect.width,
      height: options.rect.height,
      zIndex: options.zIndex ?? DEFAULTS.zIndex,
    });
    this._title = options.title ?? DEFAULTS.title;
    this._lines = options.lines ?? DEFAULTS.lines;
    this._highlight = options.highlight ?? DEFAULTS.highlight;
  }

  set rect(rect: Rect) {
    if (this.left !== rect.x) this.left = rect.x;
    if (this.top !== rect.y) this.top = rect.y;
    if (this.width !== rect.width) this.width = rect.width;
    if (this.height !== rect.height) this.height = rect.height;
    this.requestRender();
  }

  set title(title: string) {
    this._title = title;
    this.requestRender();
  }

  set lines(lines: Line[]) {
    this._lines = lines;
    this.requestRender();
  }

  set highlight(line: number | undefined) {
    this._highlight = line ?? DEFAULTS.highlight;
    this.requestRender();
  }

  protected override renderSelf(buffer: OptimizedBuffer): void {
    const { x, y, width, height } = this;
    if (width < 2 || height < 2) return;
    buffer.drawBox({
      x,
      y,
      width,
      height,
      border: true,
      borderStyle: "rounded",
      borderColor: rgba(COLORS.border),
      backgroundColor: rgba(COLORS.background),
      shouldFill: true,
      title: this._title ? ` ${truncate(this._title, width - 6)} ` : undefined,
      titleColor: rgba(COLORS.title),
      titleAlignment: "left",
    });
    const innerWidth = width - 2;
    const rows = Math.min(this._lines.length, height - 2);
    for (let i = 0; i < rows; i++) {
      const line = this._lines[i];
      if (!line) continue;
      const bg = i === this._highlight ? COLORS.selection : COLORS.background;
      if (i === this._highlight) buffer.fillRect(x + 1, y + 1 + i, innerWidth, 1, rgba(bg));
      drawLine(buffer, line, x + 1, y + 1 + i, innerWidth, bg);
    }
  }
}
