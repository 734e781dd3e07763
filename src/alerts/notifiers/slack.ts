// type "slack": an incoming webhook with one `text`; Mattermost and Rocket.Chat take the same.
import type { NotifierConfig } from "../../config/index.ts";
import { type AlertNotification, notificationTitle } from "../notification.ts";
import { jsonHeaders, type NotifierRequest } from "./request.ts";

/** Slack reads "<...>" as links and mentions; names from the config must stay plain text. */
function plain(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

export function slackText(n: AlertNotification): string {
  const lines = [`*${plain(notificationTitle(n))}*`, plain(n.message)];
  if (n.url !== null) lines.push(n.url);
  return lines.join("\n");
}

export function slackRequest(notifier: NotifierConfig, n: AlertNotification): NotifierRequest {
  return {
    url: notifier.url,
    headers: jsonHeaders(null),
    body: JSON.stringify({ text: slackText(n) }),
  };
}
