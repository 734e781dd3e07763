/** @jsxImportSource preact */
// The charts' time range as a row of toggle buttons (Tab to one, Enter or Space picks it). With
// history off there is only Live, and the picker says why.
import { RANGES, type RangeKey } from "../../client/ranges.ts";

export function RangePicker(props: {
  value: RangeKey;
  historyOn: boolean;
  onPick: (range: RangeKey) => void;
}) {
  const ranges = props.historyOn ? RANGES : RANGES.filter((r) => r.key === "live");
  return (
    <fieldset class="range-picker">
      <legend class="sr-only">Time range of the charts</legend>
      {ranges.map((r) => (
        <button
          key={r.key}
          type="button"
          class="range"
          data-range={r.key}
          aria-pressed={r.key === props.value}
          onClick={() => props.onPick(r.key)}
        >
          {r.label}
        </button>
      ))}
      {!props.historyOn && (
        <span class="muted small" data-testid="history-off">
          history is off on this receiver: the charts show this session only
        </span>
      )}
    </fieldset>
  );
}
