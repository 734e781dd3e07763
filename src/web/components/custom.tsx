/** @jsxImportSource preact */
// The host's custom metrics (the *.prom files of its textfile directory) as a compact list: one
// line per sample with its labels and its value in the unit its name says (_bytes, _seconds,
// _timestamp_seconds), and one line per file that was refused, with why. Hidden without a directory.
import * as f from "../../client/units.ts";
import type { Custom, CustomSample, CustomValue } from "../../protocol/index.ts";

/** A value as its name's unit suffix says, the way Prometheus' naming rules put units in names. */
function shown(name: string, value: CustomValue, nowMs: number): string {
  if (typeof value === "string") return value;
  if (name.endsWith("_timestamp_seconds"))
    return `${f.dateTime(value * 1000)} (${f.ago(value * 1000, nowMs)})`;
  if (name.endsWith("_bytes")) return f.bytes(value);
  if (name.endsWith("_seconds")) return f.duration(value);
  return value.toLocaleString("en-US", { maximumFractionDigits: 3 });
}

const labelText = (s: CustomSample) => {
  const pairs = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`);
  return pairs.length > 0 ? `{${pairs.join(", ")}}` : "";
};

export function CustomPanel({
  custom,
  nowMs,
}: {
  custom: Custom | null | undefined;
  nowMs: number;
}) {
  if (!custom || custom.dir === null) return null;
  const refused = custom.files.filter((file) => file.error !== null);
  return (
    <section class="panel wide" aria-labelledby="custom-title" data-testid="custom-panel">
      <h2 id="custom-title">
        Custom metrics
        <span class="muted small">
          {" "}
          · {custom.files.length} {custom.files.length === 1 ? "file" : "files"} in {custom.dir}
        </span>
      </h2>
      <ul class="custom-list">
        {custom.families.flatMap((family) =>
          family.samples.map((s) => (
            <li key={`${s.name}${labelText(s)}`} title={family.help ?? undefined}>
              <code>
                {s.name}
                <span class="muted">{labelText(s)}</span>
              </code>{" "}
              <strong>{shown(s.name, s.value, nowMs)}</strong>
            </li>
          )),
        )}
        {refused.map((file) => (
          <li key={file.file} class="problem warn">
            <strong>{file.file}</strong> refused · {file.error}
          </li>
        ))}
      </ul>
    </section>
  );
}
