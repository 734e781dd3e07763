// Rejects flags a command does not know (citty ignores them), with a "did you mean" hint.
import type { ArgsDef } from "citty";
import { UsageError } from "../config/index.ts";

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(
        above + 1,
        (row[j - 1] ?? 0) + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

export function checkFlags(rawArgs: readonly string[], args: ArgsDef): void {
  const known = new Set(["help", "h", "version", "v"]);
  for (const [name, def] of Object.entries(args)) {
    known.add(name);
    if (def.type === "boolean") known.add(`no-${name}`);
    const aliases = "alias" in def ? def.alias : undefined;
    for (const alias of aliases === undefined ? [] : Array.isArray(aliases) ? aliases : [aliases])
      known.add(alias);
  }
  const problems: string[] = [];
  for (const arg of rawArgs) {
    if (arg === "--") break;
    if (!arg.startsWith("-") || arg === "-") continue;
    const name = arg.replace(/^--?/, "").split("=")[0] ?? "";
    if (known.has(name)) continue;
    const best = [...known]
      .filter((k) => k.length > 1)
      .map((k) => ({ k, d: distance(name, k) }))
      .sort((x, y) => x.d - y.d)[0];
    const hint =
      best && best.d <= Math.max(2, Math.floor(name.length / 3))
        ? `; did you mean --${best.k}?`
        : "";
    problems.push(`${arg}: unknown flag${hint}`);
  }
  if (problems.length > 0) throw new UsageError(`${problems.join("\n")}\nSee "hwm --help".`);
}
