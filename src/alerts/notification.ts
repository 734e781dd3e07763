// What a notifier is asked to deliver: one alert firing or resolved (or a test), in the same
// words for every notifier type; each type only lays it out for its target.
import { hostname } from "node:os";

export type NotificationKind = "firing" | "resolved" | "test";
/** For targets that rank (Alertmanager's label, ntfy's and Gotify's priority). */
export type Severity = "critical" | "warning" | "info";

export interface AlertNotification {
  kind: NotificationKind;
  rule: string;
  host: string;
  /** The metric key of a keyed metric ("/var"); null otherwise. */
  key: string | null;
  /** The metric's value; null for host offline, reboot and tests. */
  value: number | null;
  threshold: number | null;
  /** The rule's condition in canonical form ("disks[*].used_pct >= 90"). */
  condition: string;
  severity: Severity;
  /** When the alert fired (for resolved: when it had fired). */
  sinceMs: number;
  /** When this notification was made (resolved: when the alert ended). */
  tsMs: number;
  message: string;
  /** The host's page on the dashboard; null when the receiver does not know its own URL. */
  url: string | null;
}

/** "[firing] disk-full on pve-web": the one-line title of ntfy, Gotify and Discord. */
export function notificationTitle(n: AlertNotification): string {
  if (n.kind === "test") return "[test] hwm notifier test";
  return `[${n.kind}] ${n.rule} on ${n.host}`;
}

/** The message `hwm notify test` sends. */
export function testNotification(notifierName: string, nowMs: number): AlertNotification {
  const from = hostname();
  return {
    kind: "test",
    rule: "hwm-test",
    host: from,
    key: null,
    value: null,
    threshold: null,
    condition: "test",
    severity: "info",
    sinceMs: nowMs,
    tsMs: nowMs,
    message: `Test from hwm on ${from}: notifier "${notifierName}" works.`,
    url: null,
  };
}
