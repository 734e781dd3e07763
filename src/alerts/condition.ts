// The `when` of an alert rule: a threshold on a metric ("cpu.total_pct > 90",
// "disks[*].used_pct >= 90"), "host offline" or "reboot"; parsed once, with a message that says
// what was expected when it is not one of these.
import { type MetricRef, metricName, parseMetric } from "../history/metrics.ts";

export const OPERATORS = [">=", "<=", "==", "!=", ">", "<"] as const;
export type Operator = (typeof OPERATORS)[number];

export type Condition =
  | { kind: "threshold"; metric: MetricRef; op: Operator; value: number }
  /** The host does not answer: offline, unauthorized or incompatible (stale is not enough). */
  | { kind: "offline" }
  /** The host's uptime went down between two answers. */
  | { kind: "reboot" };

export const CONDITION_EXPECTED =
  'a condition such as "cpu.total_pct > 90", "disks[*].used_pct >= 90", "host offline" or "reboot"';

const THRESHOLD = /^(.+?)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)$/;

export function parseCondition(text: string): Condition | { error: string } {
  const trimmed = text.trim().replace(/\s+/g, " ");
  if (trimmed === "host offline") return { kind: "offline" };
  if (trimmed === "reboot") return { kind: "reboot" };
  const match = THRESHOLD.exec(trimmed);
  if (!match) return { error: `expected ${CONDITION_EXPECTED}, got ${JSON.stringify(text)}` };
  const [, name = "", op = ">", number = "0"] = match;
  const metric = parseMetric(name.trim());
  if ("error" in metric) return { error: metric.error };
  return { kind: "threshold", metric, op: op as Operator, value: Number(number) };
}

export function holds(op: Operator, value: number, threshold: number): boolean {
  switch (op) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
    case "==":
      return value === threshold;
    case "!=":
      return value !== threshold;
  }
}

/** The condition written back in its canonical form, for messages and the alerts API. */
export function describeCondition(condition: Condition): string {
  switch (condition.kind) {
    case "offline":
      return "host offline";
    case "reboot":
      return "reboot";
    case "threshold":
      return `${metricName(condition.metric.family, condition.metric.key)} ${condition.op} ${condition.value}`;
  }
}
