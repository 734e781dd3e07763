// Loads the terminal dashboard on demand, so that a headless node never loads OpenTUI's native
// library, and tells when this build has none for the platform. Imports nothing of OpenTUI.
type TuiModule = typeof import("./index.ts");

export type Loaded = { ok: true; tui: TuiModule } | { ok: false; message: string; reason: string };

export function unavailableMessage(platform = process.platform, arch = process.arch): string {
  return `the terminal dashboard is not available in this build for ${platform}-${arch}`;
}

export async function loadTui(
  importer: () => Promise<TuiModule> = () => import("./index.ts"),
): Promise<Loaded> {
  try {
    const tui = await importer();
    tui.checkNative();
    return { ok: true, tui };
  } catch (err) {
    return {
      ok: false,
      message: unavailableMessage(),
      reason: err instanceof Error ? err.message : String(err),
    };
  }
}
