// ZFS pool state from `zpool status`: each pool's state, its members and the failed ones, a running
// scrub or resilver, and ZFS's own words when something is wrong. Pure parser plus one run.
import type { Pool } from "../../protocol/index.ts";
import type { ToolRunner } from "./health-run.ts";
import { firstLine, ToolUnavailable } from "./health-run.ts";

/** Member states that mean the device does not serve data. */
const FAILED_STATES = new Set(["FAULTED", "OFFLINE", "REMOVED", "UNAVAIL"]);
/** Rows of the config table that group devices rather than being one. */
const GROUP = /^(mirror|raidz[123]?|draid[123]?|replacing|spare)(-|:|$)/;
const SECTIONS = new Set(["logs", "cache", "spares", "special", "dedup"]);

interface PoolBlock {
  fields: Map<string, string>;
  config: string[];
}

/** Splits the output into pools: "key: value" fields (continued on indented lines) and the config table. */
function blocks(text: string): PoolBlock[] {
  const pools: PoolBlock[] = [];
  let current: PoolBlock | undefined;
  let key: string | null = null;
  for (const line of text.split("\n")) {
    const field = /^\s*([a-z]+): ?(.*)$/.exec(line);
    if (field && field[1] !== undefined && (field[1] === "pool" || current)) {
      key = field[1];
      if (key === "pool") {
        current = { fields: new Map(), config: [] };
        pools.push(current);
      }
      current?.fields.set(key, (field[2] ?? "").trim());
      continue;
    }
    if (!current || key === null || line.trim() === "") continue;
    if (key === "config") current.config.push(line);
    else current.fields.set(key, `${current.fields.get(key) ?? ""} ${line.trim()}`.trim());
  }
  return pools;
}

function countDevices(
  config: readonly string[],
  pool: string,
): { devices: number; failed: number } {
  let devices = 0;
  let failed = 0;
  let inSpares = false;
  let seenPool = false;
  for (const line of config) {
    const cols = line.trim().split(/\s+/);
    const [name, state] = cols;
    if (name === undefined || name === "NAME") continue;
    if (!seenPool) {
      seenPool = name === pool;
      continue;
    }
    if (SECTIONS.has(name) && state === undefined) {
      inSpares = name === "spares";
      continue;
    }
    if (inSpares || GROUP.test(name)) continue;
    devices++;
    if (state !== undefined && FAILED_STATES.has(state)) failed++;
  }
  return { devices, failed };
}

/** Every pool in `zpool status` output; "no pools available" → []. */
export function parseZpoolStatus(text: string): Pool[] {
  return blocks(text).map(({ fields, config }) => {
    const name = fields.get("pool") ?? "?";
    const state = fields.get("state") ?? "UNKNOWN";
    const { devices, failed } = countDevices(config, name);
    const scan = fields.get("scan") ?? "";
    const done = /in progress/.test(scan) ? /([\d.]+)% done/.exec(scan) : null;
    const status = fields.get("status") ?? null;
    const ok = state === "ONLINE" && failed === 0;
    return {
      name: name.slice(0, 256),
      kind: "zfs",
      state: state.slice(0, 256),
      ok,
      level: null,
      devices,
      failed_devices: failed,
      progress_pct: done?.[1] === undefined ? null : Math.min(100, Number(done[1])),
      detail: ok ? null : (status ?? `pool is ${state}`).slice(0, 1024),
    };
  });
}

export async function readZfs(runner: ToolRunner): Promise<Pool[]> {
  const result = await runner.run(["zpool", "status", "-P"]);
  if (result.code !== 0) {
    const said = firstLine(result);
    throw new ToolUnavailable(`zpool status failed: ${said || `exit ${result.code}`}`);
  }
  return parseZpoolStatus(result.stdout);
}
