// The request each notifier type makes of a notification; the types differ only in layout.
import type { NotifierConfig } from "../../config/index.ts";
import type { AlertNotification } from "../notification.ts";
import { alertmanagerRequest } from "./alertmanager.ts";
import { discordRequest } from "./discord.ts";
import { gotifyRequest } from "./gotify.ts";
import { ntfyRequest } from "./ntfy.ts";
import type { NotifierRequest } from "./request.ts";
import { slackRequest } from "./slack.ts";
import { webhookRequest } from "./webhook.ts";

export type { NotifierRequest } from "./request.ts";

/** `nowMs` is the moment of sending: Alertmanager's endsAt counts from it, even on a retry. */
export function buildRequest(
  notifier: NotifierConfig,
  n: AlertNotification,
  nowMs: number,
): NotifierRequest {
  switch (notifier.type) {
    case "webhook":
      return webhookRequest(notifier, n);
    case "ntfy":
      return ntfyRequest(notifier, n);
    case "discord":
      return discordRequest(notifier, n);
    case "slack":
      return slackRequest(notifier, n);
    case "gotify":
      return gotifyRequest(notifier, n);
    case "alertmanager":
      return alertmanagerRequest(notifier, n, nowMs);
  }
}
