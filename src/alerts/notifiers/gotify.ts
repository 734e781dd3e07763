// type "gotify": POST <url>/message with title, message and priority; the application token in
// X-Gotify-Key.
import type { NotifierConfig } from "../../config/index.ts";
import { type AlertNotification, notificationTitle } from "../notification.ts";
import { joinPath, jsonHeaders, type NotifierRequest } from "./request.ts";

/** Gotify's Android app raises priority 8 and above as heads-up notifications. */
function priority(n: AlertNotification): number {
  return n.kind === "firing" && n.severity !== "info" ? 8 : 5;
}

export function gotifyRequest(notifier: NotifierConfig, n: AlertNotification): NotifierRequest {
  const body: Record<string, unknown> = {
    title: notificationTitle(n),
    message: n.message,
    priority: priority(n),
  };
  if (n.url !== null) body.extras = { "client::notification": { click: { url: n.url } } };
  return {
    url: joinPath(notifier.url, "/message"),
    headers: jsonHeaders(notifier.token, "x-gotify-key"),
    body: JSON.stringify(body),
  };
}
