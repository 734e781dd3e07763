// LineView: one full-width line of styled text on a band of colour (the header and status bar).
import { type OptimizedBuffer, Renderable, type RenderContext } from "@opentui/core";
import type { Line } from "../text.ts";
import { COLORS } from "../theme.ts";
import { drawLine, rgba } from "./paint.ts";

export interface LineViewOptions {
  y: number;
  width: number;
  line?: Line;
  background?: string;
}

const DEFAULTS = { line: [] as Line, background: COLORS.header };

export class LineView extends Renderable {
  private _line: Line = DEFAULTS.line;
  private readonly background: string;

  constructor(ctx: RenderContext, options: LineViewOptions) {
    super(ctx, { position: "absolute", left: 0, top: options.y, width: options.width, height: 1 });
    this._line = options.line ?? DEFAULTS.line;
    this.background = options.background ?? DEFAULTS.background;
  }

  set line(line: Line) {
    this._line = line;
    this.requestRender();
  }

  place(y: number, width: number): void {
    if (this.top !== y) this.top = y;
    if (this.width !== width) this.width = width;
  }

  protected override renderSelf(buffer: OptimizedBuffer): void {
    buffer.fillRect(this.x, this.y, this.width, 1, rgba(this.background));
    drawLine(buffer, this._line, this.x, this.y, this.width, this.background);
  }
}
