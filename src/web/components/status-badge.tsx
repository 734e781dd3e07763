/** @jsxImportSource preact */
// A host's status as a word with an icon, coloured: never colour alone.
import type { HostStatus } from "../../protocol/index.ts";

const ICON: Record<HostStatus, string> = {
  online: "●",
  stale: "◐",
  offline: "○",
  unauthorized: "⊘",
  incompatible: "⚠",
};

export function StatusBadge({ status }: { status: HostStatus }) {
  return (
    <span class={`badge status-${status}`}>
      <span aria-hidden="true">{ICON[status]}</span> <span class="status-word">{status}</span>
    </span>
  );
}
