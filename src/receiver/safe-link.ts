// The receiver's text boundary: every string a host sends (labels, mounts, OS and process names,
// error messages) loses its control and bidi characters here, before the fleet keeps it, so the
// page, the terminal dashboard, the notifiers and the log all get text that is safe to show.
import { safeDeep, safeText } from "../safe-text.ts";
import { type HostLink, LinkError } from "./link.ts";

/** Sanitises the answers (and the failures) of `link`; the link itself is unchanged. */
export function safeLink(link: HostLink): HostLink {
  return {
    snapshot: (sections, timeoutMs) =>
      link.snapshot(sections, timeoutMs).then(safeDeep, unsafeError),
    info: (timeoutMs) => link.info(timeoutMs).then(safeDeep, unsafeError),
    close: () => link.close(),
  };
}

/** A failure's message may quote what the host sent: it becomes the host's `last_error`. */
function unsafeError(err: unknown): never {
  if (err instanceof LinkError) throw new LinkError(err.kind, safeText(err.message));
  throw new Error(safeText(err instanceof Error ? err.message : String(err)));
}
