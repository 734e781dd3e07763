// The panel for a host with nothing to show: its status and why (the receiver's last_error, such
// as "the sender refused the token (HTTP 401)"), instead of panels waiting for data that will not
// come.
import type { HostState } from "../../protocol/index.ts";
import { clean, type Line, seg, width } from "../text.ts";
import { COLORS, STATUS_STYLE } from "../theme.ts";
import type { PanelContent, Size } from "./panel.ts";

/** What to do about each status, for the line under the reason. */
const HINT: Record<HostState["status"], string> = {
  online: "",
  stale: "the receiver keeps asking at every interval",
  offline: "the receiver keeps trying; the host comes back by itself once it answers",
  unauthorized: "check this sender's token (or its certificate pin) in the receiver's config",
  incompatible:
    "check that the URL points at an hwm sender of this version; a host whose answers exceed max_message_bytes needs a larger one",
};

/** True when a host's view has no data at all and should say why instead. */
export function hasNothingToShow(host: HostState, snapshot: unknown): boolean {
  return snapshot === null && host.status !== "online";
}

/** Words cut into lines of at most `columns` (a word longer than a line is cut by the box). */
function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && width(line) + 1 + width(word) > columns) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

export function noDataPanel(host: HostState, size: Size): PanelContent {
  const style = STATUS_STYLE[host.status];
  const reason = host.last_error ? clean(host.last_error) : "no answer yet";
  const lines: Line[] = [
    [seg(`${style.mark} ${host.status}`, style.color, true), seg(" · no data from this host yet")],
    ...wrap(reason, Math.max(1, size.width)).map((text) => [seg(text, style.color)]),
  ];
  const hint = HINT[host.status];
  if (hint)
    lines.push([], ...wrap(hint, Math.max(1, size.width)).map((text) => [seg(text, COLORS.dim)]));
  return { title: host.id, lines: lines.slice(0, Math.max(0, size.height)) };
}
