// type "ntfy": the message as plain text to the topic URL; title, priority and tags in headers.
import type { NotifierConfig } from "../../config/index.ts";
import { type AlertNotification, notificationTitle } from "../notification.ts";
import { type NotifierRequest, USER_AGENT } from "./request.ts";

/** ntfy's priorities: 5 urgent, 4 high, 3 default, 2 low, 1 min. */
function priority(n: AlertNotification): string {
  if (n.kind !== "firing") return "3";
  return n.severity === "info" ? "3" : n.severity === "critical" ? "5" : "4";
}

/** Tags that ntfy shows as emoji. */
function tags(n: AlertNotification): string {
  if (n.kind === "test") return "bell";
  if (n.kind === "resolved") return "white_check_mark";
  return n.severity === "critical"
    ? "rotating_light"
    : n.severity === "warning"
      ? "warning"
      : "information_source";
}

/**
 * HTTP header values are Latin-1 at most; a rule or host name beyond ASCII goes as an RFC 2047
 * encoded word, which ntfy decodes. Line breaks would end the header: they become spaces.
 */
export function headerText(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  if (/^[\x20-\x7e]*$/.test(flat)) return flat;
  return `=?UTF-8?B?${Buffer.from(flat, "utf8").toString("base64")}?=`;
}

export function ntfyRequest(notifier: NotifierConfig, n: AlertNotification): NotifierRequest {
  const headers: Record<string, string> = {
    "content-type": "text/plain; charset=utf-8",
    "user-agent": USER_AGENT,
    title: headerText(notificationTitle(n)),
    priority: priority(n),
    tags: tags(n),
  };
  if (n.url !== null) headers.click = n.url;
  if (notifier.token !== null) headers.authorization = `Bearer ${notifier.token}`;
  return { url: notifier.url, headers, body: n.message };
}
