/** @jsxImportSource preact */
// A labelled bar for a share of something (memory, a disk), tinted when it crosses its limits.
import { level } from "../../client/thresholds.ts";
import * as f from "../../client/units.ts";

export function Meter(props: {
  label: string;
  pct: number | null;
  limit: { warn: number; bad: number };
  text: string;
  /** How the share is written (default: percent as everywhere; a disk's as df writes it). */
  format?: (pct: number | null) => string;
}) {
  const lvl = level(props.pct, props.limit);
  const width = props.pct == null ? 0 : Math.min(100, Math.max(0, props.pct));
  return (
    <div class="meter">
      <div class="meter-label">
        <span class="k" title={props.label}>
          {props.label}
        </span>
        <span class={`v lvl-${lvl}`}>{(props.format ?? f.pct)(props.pct)}</span>
      </div>
      <div class="bar" aria-hidden="true">
        <div class={`fill lvl-${lvl}`} style={{ width: `${width}%` }} />
      </div>
      <div class="meter-text muted">{props.text}</div>
    </div>
  );
}
