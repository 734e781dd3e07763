// The custom section (textfile *.prom metrics) re-exported in the text format: each family once,
// with its HELP and TYPE, its samples from every host together, the host's labels added.
import type { Custom, CustomFamily } from "../protocol/index.ts";
import type { AddGauge } from "./health.ts";

type Labels = Readonly<Record<string, string>>;

interface Family {
  help: string;
  type: CustomFamily["type"];
  lines: string[];
  /** Every series written, so that a series sent twice is written once. */
  series: Set<string>;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/**
 * The host's labels first, then the sample's. A sample label the host's labels already use is
 * kept as exported_<name>, as Prometheus does when it scrapes; null when that name is taken too.
 */
function mergeLabels(base: Labels, own: Labels): [string, string][] | null {
  const merged: [string, string][] = Object.entries(base);
  const taken = new Set(Object.keys(base));
  for (const [name, value] of Object.entries(own)) {
    const key = name in base ? `exported_${name}` : name;
    if (taken.has(key)) return null;
    taken.add(key);
    merged.push([key, value]);
  }
  return merged;
}

export class CustomExposition {
  readonly #families = new Map<string, Family>();

  /** One host's custom metrics; a family whose type differs from another host's is left out. */
  add(base: Labels, custom: Custom): void {
    for (const f of custom.families) {
      let family = this.#families.get(f.name);
      if (!family) {
        family = {
          help: f.help ?? "Custom metric from a textfile (*.prom) without a HELP line.",
          type: f.type,
          lines: [],
          series: new Set(),
        };
        this.#families.set(f.name, family);
      }
      if (family.type !== f.type) continue;
      for (const s of f.samples) {
        const labels = mergeLabels(base, s.labels);
        if (labels === null) continue;
        const text = labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",");
        const series = `${s.name}{${text}}`;
        if (family.series.has(series)) continue;
        family.series.add(series);
        family.lines.push(`${text === "" ? s.name : series} ${s.value}`);
      }
    }
  }

  render(): string {
    let out = "";
    for (const [name, f] of this.#families) {
      if (f.lines.length === 0) continue;
      out += `# HELP ${name} ${escapeHelp(f.help)}\n# TYPE ${name} ${f.type}\n${f.lines.join("\n")}\n`;
    }
    return out;
  }
}

/** hwm's own view of the textfiles: which were refused, and when each was written. */
export function addCustomFiles(g: AddGauge, custom: Custom): void {
  for (const f of custom.files) {
    g(
      "hwm_custom_file_error",
      "1 when a textfile (*.prom) was refused (see the custom section's errors), else 0.",
      { file: f.file },
      f.error === null ? 0 : 1,
    );
    g(
      "hwm_custom_file_mtime_seconds",
      "When a textfile (*.prom) was last written, as a Unix timestamp.",
      { file: f.file },
      f.mtime_ms === null ? null : f.mtime_ms / 1000,
    );
  }
}
