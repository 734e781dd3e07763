// type "webhook": a JSON document of our own design (docs/ALERTS.md shows it), POSTed as is.
import type { NotifierConfig } from "../../config/index.ts";
import type { AlertNotification } from "../notification.ts";
import { jsonHeaders, type NotifierRequest } from "./request.ts";

/** Bumped when a field changes meaning or goes away; new fields may appear without a bump. */
export const WEBHOOK_VERSION = 1;

export interface WebhookBody {
  version: number;
  kind: "firing" | "resolved" | "test";
  rule: string;
  host: string;
  key: string | null;
  value: number | null;
  threshold: number | null;
  condition: string;
  severity: "critical" | "warning" | "info";
  since_ms: number;
  ts_ms: number;
  message: string;
  url: string | null;
}

export function webhookBody(n: AlertNotification): WebhookBody {
  return {
    version: WEBHOOK_VERSION,
    kind: n.kind,
    rule: n.rule,
    host: n.host,
    key: n.key,
    value: n.value,
    threshold: n.threshold,
    condition: n.condition,
    severity: n.severity,
    since_ms: n.sinceMs,
    ts_ms: n.tsMs,
    message: n.message,
    url: n.url,
  };
}

export function webhookRequest(notifier: NotifierConfig, n: AlertNotification): NotifierRequest {
  return {
    url: notifier.url,
    headers: jsonHeaders(notifier.token),
    body: JSON.stringify(webhookBody(n)),
  };
}
