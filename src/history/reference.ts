// The metric reference shown in docs/HISTORY.md: one row per metric family of the catalog (a test
// checks the document carries it), rendered by `bun scripts/metrics-reference.ts`.
import { METRIC_FAMILIES, type MetricUnit } from "./metrics.ts";

const UNIT_WORDS: Record<MetricUnit, string> = {
  pct: "percent (0–100)",
  bytes: "bytes",
  bps: "bytes per second",
  celsius: "°C",
  mhz: "MHz",
  watts: "watts",
  seconds: "seconds",
  load: "load average",
  ok: "1 yes, 0 no",
  count: "count",
};

export function renderMetricReference(): string {
  const rows = METRIC_FAMILIES.map((f) => {
    const name = f.key ? f.name.replace("[]", `[${f.key}]`) : f.name;
    return `| \`${name}\` | ${UNIT_WORDS[f.unit]} | ${f.help} |`;
  });
  return ["| metric | unit | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}
