// The one HTTP request a notifier sends (always a POST), and the headers every type shares.
import { VERSION } from "../../version.ts";

export interface NotifierRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const USER_AGENT = `hwm/${VERSION}`;

export function jsonHeaders(
  token: string | null,
  tokenHeader = "authorization",
): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
  };
  if (token !== null)
    headers[tokenHeader] = tokenHeader === "authorization" ? `Bearer ${token}` : token;
  return headers;
}

/** `base` with `suffix` appended to its path, keeping any query (a Gotify ?token= stays valid). */
export function joinPath(base: string, suffix: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${suffix}`;
  return url.toString();
}

/** Cut to `max` characters, with an ellipsis when something was cut (chat services cap lengths). */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
