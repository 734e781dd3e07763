// type "alertmanager": POST <url>/api/v2/alerts as Prometheus does; a firing alert carries an
// endsAt a few minutes ahead and is re-sent while it fires, so Alertmanager keeps it active and
// lets it expire on its own if this receiver goes away.
import type { NotifierConfig } from "../../config/index.ts";
import type { AlertNotification } from "../notification.ts";
import { joinPath, jsonHeaders, type NotifierRequest } from "./request.ts";

/** How far ahead a firing alert's endsAt lies (Prometheus uses 4 × its resend delay). */
export const ALERTMANAGER_HOLD_MS = 5 * 60_000;
/** How often a firing alert is sent again (Prometheus' --rules.alert.resend-delay is 1 m). */
export const ALERTMANAGER_RESEND_MS = 60_000;

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

export function alertmanagerAlert(n: AlertNotification, nowMs: number): AlertmanagerAlert {
  const labels: Record<string, string> = { alertname: n.rule, host: n.host, severity: n.severity };
  if (n.key !== null) labels.key = n.key;
  const endsMs = n.kind === "resolved" ? n.tsMs : nowMs + ALERTMANAGER_HOLD_MS;
  const alert: AlertmanagerAlert = {
    labels,
    annotations: { summary: n.message, description: `${n.condition} (hwm rule ${n.rule})` },
    startsAt: new Date(Math.min(n.sinceMs, endsMs)).toISOString(),
    endsAt: new Date(endsMs).toISOString(),
  };
  if (n.url !== null) alert.generatorURL = n.url;
  return alert;
}

export function alertmanagerRequest(
  notifier: NotifierConfig,
  n: AlertNotification,
  nowMs: number,
): NotifierRequest {
  return {
    url: joinPath(notifier.url, "/api/v2/alerts"),
    headers: jsonHeaders(notifier.token),
    body: JSON.stringify([alertmanagerAlert(n, nowMs)]),
  };
}
