// Runs the Dashboard in OpenTUI's test renderer at a fixed size with a DataSource (a FakeSource,
// or a real one against a test server) and a fixed clock: tests read the character frame and drive
// keys and the mouse.
import { createTestRenderer, type TestRendererSetup } from "@opentui/core/testing";
import { Dashboard } from "../../../src/tui/app.ts";
import type { DataSource } from "../../../src/tui/source.ts";
import { type FakeSource, NOW_MS } from "./fixtures.ts";

export interface Harness<S extends DataSource = FakeSource> extends TestRendererSetup {
  dashboard: Dashboard;
  source: S;
  quits: number;
  errors: unknown[];
  frame(): Promise<string>;
  lines(): Promise<string[]>;
  press(key: string): Promise<void>;
}

export async function startHarness<S extends DataSource = FakeSource>(
  source: S,
  width: number,
  height: number,
): Promise<Harness<S>> {
  const setup = await createTestRenderer({ width, height });
  const harness = {
    ...setup,
    source,
    quits: 0,
    errors: [] as unknown[],
  } as Harness<S>;
  harness.dashboard = new Dashboard({
    renderer: setup.renderer,
    source,
    now: () => NOW_MS,
    onQuit: () => {
      harness.quits += 1;
    },
    onError: (error) => {
      harness.errors.push(error);
    },
  });
  harness.frame = async () => {
    await setup.renderOnce();
    return setup.captureCharFrame();
  };
  harness.lines = async () => (await harness.frame()).split("\n").slice(0, setup.renderer.height);
  harness.press = async (key: string) => {
    setup.mockInput.pressKey(key);
    // A lone Escape is told from an escape sequence by a short wait.
    await Bun.sleep(key === "ESCAPE" || key === "\u001b" ? 80 : 5);
  };
  return harness;
}
