// type "discord": an incoming webhook; the message as `content` (what a phone shows) and one
// coloured embed with the title, the condition and the dashboard link.
import type { NotifierConfig } from "../../config/index.ts";
import { type AlertNotification, notificationTitle } from "../notification.ts";
import { cut, jsonHeaders, type NotifierRequest } from "./request.ts";

const COLOR = { critical: 0xe74c3c, warning: 0xe67e22, info: 0x3498db };
const RESOLVED_COLOR = 0x2ecc71;
const TEST_COLOR = 0x95a5a6;

export function discordRequest(notifier: NotifierConfig, n: AlertNotification): NotifierRequest {
  const embed: Record<string, unknown> = {
    title: cut(notificationTitle(n), 256),
    description: cut(`Condition: ${n.condition}`, 4096),
    color:
      n.kind === "test" ? TEST_COLOR : n.kind === "resolved" ? RESOLVED_COLOR : COLOR[n.severity],
    timestamp: new Date(n.tsMs).toISOString(),
  };
  if (n.url !== null) embed.url = n.url;
  return {
    url: notifier.url,
    headers: jsonHeaders(null),
    body: JSON.stringify({
      content: cut(n.message, 2000),
      embeds: [embed],
      // A host or rule named "@everyone" must not ping a whole server.
      allowed_mentions: { parse: [] },
    }),
  };
}
