/** @jsxImportSource preact */
// One small bar per CPU core, so a single pegged core shows even when the total looks calm.
import { LIMITS, level } from "../../client/thresholds.ts";
import * as f from "../../client/units.ts";

export function Cores({ cores }: { cores: number[] }) {
  if (cores.length === 0) return <p class="muted">—</p>;
  return (
    <ol class="cores" aria-label="Per-core CPU">
      {cores.map((pct, i) => (
        <li key={i} title={`core ${i}: ${f.pct(pct)}`}>
          <span class="core-bar" aria-hidden="true">
            <span
              class={`fill lvl-${level(pct, LIMITS.cpuPct)}`}
              style={{ height: `${Math.min(100, pct)}%` }}
            />
          </span>
          <span class="core-label">
            <span class="muted">{i}</span> {pct.toFixed(0)}
          </span>
        </li>
      ))}
    </ol>
  );
}
