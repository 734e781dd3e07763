// Failed systemd units from `systemctl list-units --failed --output=json` (systemd 246 and later).
import type { FailedUnit } from "../../protocol/index.ts";
import { firstLine, type ToolRunner, ToolUnavailable } from "./health-run.ts";

const text = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value.slice(0, 256) : null;

/** systemctl's JSON list; anything but an array of objects with a unit name is an error. */
export function parseFailedUnits(json: string): FailedUnit[] {
  const rows: unknown = JSON.parse(json);
  if (!Array.isArray(rows)) throw new Error("expected a JSON array");
  const units: FailedUnit[] = [];
  for (const row of rows) {
    const r = (row ?? {}) as Record<string, unknown>;
    const name = text(r.unit);
    if (name === null) continue;
    units.push({
      name,
      description: text(r.description),
      load: text(r.load) ?? "unknown",
      active: text(r.active) ?? "unknown",
      sub: text(r.sub) ?? "unknown",
    });
  }
  return units;
}

export async function readFailedUnits(runner: ToolRunner): Promise<FailedUnit[]> {
  const result = await runner.run([
    "systemctl",
    "list-units",
    "--failed",
    "--output=json",
    "--no-pager",
    "--all",
  ]);
  if (result.code !== 0) {
    throw new ToolUnavailable(`systemctl failed: ${firstLine(result) || `exit ${result.code}`}`);
  }
  try {
    return parseFailedUnits(result.stdout);
  } catch {
    throw new ToolUnavailable(
      `systemctl gave no JSON list (${firstLine(result) || "empty output"}); systemd 246 or later is needed`,
    );
  }
}
