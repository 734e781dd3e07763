// Linux software RAID from /proc/mdstat: each array's level, members, failed members and a
// running resync or recovery. Pure parser plus one read under --procfs.
import type { Pool } from "../../protocol/index.ts";
import { readOptional } from "./roots.ts";

const ARRAY_LINE = /^(md\S*)\s*:\s*(\S+)(?:\s+\([^)]*\))?\s*(.*)$/;

/** Every array in /proc/mdstat. */
export function parseMdstat(text: string): Pool[] {
  const pools: Pool[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const head = ARRAY_LINE.exec(lines[i] ?? "");
    if (!head) continue;
    const [, name = "", activity = "", rest = ""] = head;
    const words = rest.split(/\s+/).filter((w) => w !== "");
    const level = words[0] && !/\[\d+\]/.test(words[0]) ? words[0] : null;
    const members = words.filter((w) => /\[\d+\]/.test(w));
    const marked = members.filter((w) => w.endsWith("(F)")).map((w) => w.replace(/\[.*$/, ""));
    // The indented lines below belong to this array: sizes, [n/m] [UU_], progress bars.
    let body = "";
    while (i + 1 < lines.length && /^\s+\S/.test(lines[i + 1] ?? ""))
      body += ` ${lines[++i]?.trim()}`;
    const counts = /\[(\d+)\/(\d+)\]/.exec(body);
    const map = /\[([U_]+)\]/.exec(body)?.[1] ?? null;
    const wanted = counts
      ? Number(counts[1])
      : members.length - members.filter((w) => w.endsWith("(S)")).length;
    const working = counts ? Number(counts[2]) : wanted - marked.length;
    // Degraded: fewer members working than the array wants. A failed device can also linger
    // after a spare took its place: the array is whole, but a disk in the machine is dead.
    const degraded = working < wanted;
    const failed = Math.max(0, wanted - working, marked.length);
    const progress = /(resync|recovery|reshape|check|repair)\s*=\s*([\d.]+)%/.exec(body);
    const inactive = activity !== "active";
    const state = inactive
      ? activity
      : degraded
        ? "degraded"
        : progress
          ? (progress[1] ?? "active")
          : "active";
    const ok = !inactive && !degraded && marked.length === 0;
    const members_ = `${working} of ${wanted} members working${map ? ` [${map}]` : ""}`;
    const lingering =
      marked.length > 0
        ? `failed and still listed: ${marked.join(", ")} (replace, then remove)`
        : "";
    const detail = ok
      ? null
      : inactive
        ? `array is ${activity}`
        : degraded
          ? `${members_}${progress ? `, ${progress[1]} ${progress[2]}% done` : ""}`
          : `${members_}; ${lingering}`;
    pools.push({
      name: name.slice(0, 256),
      kind: "mdraid",
      state: state.slice(0, 256),
      ok,
      level: level?.slice(0, 256) ?? null,
      devices: wanted,
      failed_devices: failed,
      progress_pct: progress?.[2] === undefined ? null : Math.min(100, Number(progress[2])),
      detail,
    });
  }
  return pools;
}

/** The arrays under `procfs`, or null when the md driver is not loaded (no /proc/mdstat). */
export function readMdraid(procfs: string): Pool[] | null {
  const text = readOptional(`${procfs}/mdstat`);
  return text === null ? null : parseMdstat(text);
}
