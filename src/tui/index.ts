// The terminal dashboard's entry: takes over the terminal with OpenTUI, follows a node, and gives
// the terminal back on every way out (q, Ctrl+C, stop() on a signal, an error). Loaded lazily:
// importing this module loads OpenTUI's native library.
import { createCliRenderer, resolveRenderLib } from "@opentui/core";
import { Dashboard } from "./app.ts";
import { COLORS } from "./theme.ts";
import type { Notice } from "./views/chrome.ts";
import { type ConnectOptions, connectNode } from "./ws-source.ts";

export type TuiOptions = ConnectOptions;

export interface TuiSession {
  /** Settles once the terminal is restored: resolves on quit or stop(), rejects on an error. */
  readonly done: Promise<void>;
  /** A warning or error for the status bar (the log cannot write to the screen). */
  notify(level: Notice["level"], text: string): void;
  stop(): Promise<void>;
}

/** Throws when OpenTUI's native library cannot be loaded on this platform. */
export function checkNative(): void {
  resolveRenderLib();
}

export async function startTui(options: TuiOptions): Promise<TuiSession> {
  const renderer = await createCliRenderer({
    exitOnCtrlC: false,
    // Signals are the caller's: it stops the dashboard first, then whatever else it runs.
    exitSignals: [],
    useMouse: true,
    enableMouseMovement: false,
    openConsoleOnError: false,
    backgroundColor: COLORS.background,
  });
  const source = connectNode(options);
  let settle: { resolve(): void; reject(error: unknown): void } | null = null;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  let finished: Promise<void> | null = null;
  const finish = (error?: unknown): Promise<void> => {
    if (finished) return finished;
    finished = (async () => {
      process.off("uncaughtException", finish);
      process.off("unhandledRejection", finish);
      renderer.stdin.off("end", gone);
      renderer.stdin.off("close", gone);
      renderer.stdin.off("error", gone);
      source.close();
      dashboard?.destroy();
      renderer.destroy();
      await renderer.closed.catch(() => {});
      if (error === undefined) settle?.resolve();
      else settle?.reject(error);
    })();
    return finished;
  };
  // An error anywhere while the screen is ours must still give the terminal back.
  process.on("uncaughtException", finish);
  process.on("unhandledRejection", finish);
  // The terminal went away (an SSH session dropped): a receiver keeps SIGHUP for config reloads,
  // so the end of input is what says that nobody can look any more.
  const gone = () => void finish();
  renderer.stdin.once("end", gone);
  renderer.stdin.once("close", gone);
  renderer.stdin.once("error", gone);
  let dashboard: Dashboard | null = null;
  dashboard = new Dashboard({
    renderer,
    source,
    onQuit: () => void finish(),
    onError: (error) => void finish(error ?? new Error("the dashboard failed")),
  });
  const running = dashboard;
  return {
    done,
    notify: (level, text) => running.notify(level, text),
    stop: async () => {
      await finish();
      await done.catch(() => {});
    },
  };
}
