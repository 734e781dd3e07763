// The Dashboard: keeps the interaction state, turns the source's state into a ScreenModel on
// every change, key, click or resize, and syncs the widgets to it. It has no timer of its own:
// it draws when data arrives or the user acts, and asks for a host's recorded history when its
// graphs are first on screen.
import type { CliRenderer, KeyEvent, MouseEvent } from "@opentui/core";
import { Trends } from "../client/trends.ts";
import { HistorySeeder } from "./seed.ts";
import type { DataSource } from "./source.ts";
import { INITIAL_UI, onClick, onKey, onWheel, reconcile, type UiState } from "./state.ts";
import type { Notice } from "./views/chrome.ts";
import { type BoxModel, hitAt, type ScreenModel } from "./views/model.ts";
import { buildScreen } from "./views/screen.ts";
import { BoxView } from "./widgets/box-view.ts";
import { LineView } from "./widgets/line-view.ts";

/** A warning stays in the status bar this long. */
const NOTICE_MS = 30_000;
const OVERLAY_Z = 100;

export interface DashboardOptions {
  renderer: CliRenderer;
  source: DataSource;
  /** The user asked to quit (q, Ctrl+C). */
  onQuit(): void;
  /** Something in the dashboard threw; it should be torn down. */
  onError(error: unknown): void;
  now?: () => number;
}

export class Dashboard {
  private ui: UiState = INITIAL_UI;
  private model: ScreenModel | null = null;
  private readonly history = new Trends();
  private readonly seeder: HistorySeeder;
  private readonly boxes = new Map<string, BoxView>();
  private readonly header: LineView;
  private readonly status: LineView;
  private notice: { notice: Notice; atMs: number } | null = null;
  private watched: string | null = null;
  private readonly unsubscribe: () => void;
  private readonly now: () => number;
  private readonly onKeypress = (key: KeyEvent) => this.guard(() => this.key(key));
  private readonly onResize = () => this.guard(() => this.refresh());

  constructor(private readonly options: DashboardOptions) {
    const { renderer, source } = options;
    this.now = options.now ?? Date.now;
    this.seeder = new HistorySeeder({
      source,
      seed: (answer) =>
        this.guard(() => {
          this.history.seed(answer);
          this.refresh();
        }),
      note: (text) => this.notify("warn", text),
    });
    this.header = new LineView(renderer, { y: 0, width: renderer.width });
    this.status = new LineView(renderer, { y: renderer.height - 1, width: renderer.width });
    renderer.root.add(this.header);
    renderer.root.add(this.status);
    this.unsubscribe = source.onChange(() => this.guard(() => this.onData()));
    renderer.keyInput.on("keypress", this.onKeypress);
    renderer.on("resize", this.onResize);
    this.onData();
  }

  /** The interaction state (for tests). */
  get uiState(): UiState {
    return this.ui;
  }

  /** Show a warning or error in the status bar for a while (logs while the screen is ours). */
  notify(level: Notice["level"], text: string): void {
    this.notice = { notice: { level, text }, atMs: this.now() };
    this.guard(() => this.refresh());
  }

  destroy(): void {
    this.seeder.stop();
    this.unsubscribe();
    this.options.renderer.keyInput.off("keypress", this.onKeypress);
    this.options.renderer.off("resize", this.onResize);
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.options.onError(error);
    }
  }

  private onData(): void {
    const { hosts, intervalMs, nodeTsMs } = this.options.source.state;
    this.history.update(hosts, nodeTsMs > 0 ? nodeTsMs : this.now(), intervalMs);
    this.refresh();
  }

  private key(key: KeyEvent): void {
    if (!this.model) return;
    this.ui = onKey(this.ui, key, this.model.facts);
    if (this.ui.quit) this.options.onQuit();
    else this.refresh();
  }

  private mouse(event: MouseEvent): void {
    if (!this.model) return;
    if (this.ui.help && event.type === "down") {
      this.ui = { ...this.ui, help: false };
      this.refresh();
      return;
    }
    const hit = hitAt(this.model, event.x, event.y);
    if (!hit) return;
    if (event.type === "scroll" && event.scroll) {
      const down = event.scroll.direction === "down";
      this.ui = onWheel(this.ui, hit, down, this.model.facts);
    } else if (event.type === "down" && event.button === 0) {
      this.ui = onClick(this.ui, hit);
    } else {
      return;
    }
    this.refresh();
  }

  /** Recompute the screen and bring the widgets in line with it. */
  refresh(): void {
    const { renderer, source } = this.options;
    const nowMs = this.now();
    if (this.notice && nowMs - this.notice.atMs > NOTICE_MS) this.notice = null;
    const input = {
      state: source.state,
      history: this.history,
      width: renderer.width,
      height: renderer.height,
      nowMs,
      notice: this.notice?.notice ?? null,
    };
    let model = buildScreen({ ...input, ui: this.ui });
    const settled = reconcile(this.ui, model.facts);
    if (settled !== this.ui) {
      this.ui = settled;
      model = buildScreen({ ...input, ui: this.ui });
    }
    this.model = model;
    this.syncWatch();
    this.seeder.show(model.graphedId);
    this.draw(model);
  }

  private syncWatch(): void {
    const { source } = this.options;
    const wanted =
      source.state.kind === "receiver" && this.ui.view === "host" ? this.ui.openId : null;
    if (wanted !== this.watched) {
      this.watched = wanted;
      source.watch(wanted);
    }
  }

  private draw(model: ScreenModel): void {
    const { renderer } = this.options;
    this.header.place(0, model.width);
    this.header.line = model.header;
    this.status.place(model.height - 1, model.width);
    this.status.line = model.status;
    const wanted = new Map<string, { box: BoxModel; z: number }>();
    for (const box of model.boxes) wanted.set(box.id, { box, z: 0 });
    if (model.overlay) wanted.set(model.overlay.id, { box: model.overlay, z: OVERLAY_Z });
    for (const [id, view] of this.boxes) {
      if (wanted.has(id)) continue;
      renderer.root.remove(view);
      view.destroy();
      this.boxes.delete(id);
    }
    for (const [id, { box, z }] of wanted) {
      let view = this.boxes.get(id);
      if (!view) {
        view = new BoxView(renderer, { rect: box.rect, zIndex: z });
        view.onMouseDown = (event) => this.guard(() => this.mouse(event));
        view.onMouseScroll = (event) => this.guard(() => this.mouse(event));
        renderer.root.add(view);
        this.boxes.set(id, view);
      }
      view.rect = box.rect;
      view.title = box.title;
      view.lines = box.lines;
      view.highlight = box.highlight;
    }
    renderer.requestRender();
  }
}
