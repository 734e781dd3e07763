// Temperature sensors: hwmon chips under /sys/class/hwmon (thermal zones when there are none).
// Reads are async and bounded per chip: a hung I2C chip must not hide the others or stall a reply.
import { readdirSync } from "node:fs";
import type { Sensor } from "../../protocol/index.ts";
import { SENSOR_CHIP_TIMEOUT_MS } from "../constants.ts";
import type { MaybePromise } from "../maybe.ts";
import { withTimeout } from "../timeout.ts";
import { readOptionalAsync } from "./roots.ts";
import { parseIntOrNull } from "./text.ts";

/** The raw attribute texts of one temp<N>_* group of a chip (null: absent or unreadable). */
export interface RawTemp {
  index: number;
  input: string | null;
  label: string | null;
  max: string | null;
  crit: string | null;
}

const MIN_PLAUSIBLE_CELSIUS = -60;
const MAX_PLAUSIBLE_CELSIUS = 200;

/** Millidegrees to °C, or null for a missing or absurd value (disconnected probes read -128 or 255). */
export function milliCelsius(text: string | null): number | null {
  const milli = parseIntOrNull(text);
  if (milli === null) return null;
  const celsius = milli / 1000;
  return celsius < MIN_PLAUSIBLE_CELSIUS || celsius > MAX_PLAUSIBLE_CELSIUS ? null : celsius;
}

/** A limit of 0 °C or below means "not set" on the chips that report one at all. */
function limitCelsius(text: string | null): number | null {
  const celsius = milliCelsius(text);
  return celsius !== null && celsius > 0 ? celsius : null;
}

/** One chip's readings; inputs that failed or are absurd are left out. Unlabelled ones become "<chip> temp<N>". */
export function chipSensors(chip: string, temps: readonly RawTemp[]): Sensor[] {
  const out: Sensor[] = [];
  for (const t of temps) {
    const celsius = milliCelsius(t.input);
    if (celsius === null) continue;
    const label = t.label?.trim();
    out.push({
      label: label ? label : `${chip} temp${t.index}`,
      chip,
      celsius,
      max_celsius: limitCelsius(t.max),
      crit_celsius: limitCelsius(t.crit),
    });
  }
  return out;
}

/** Make chip + label unique (two sockets' "Core 0", a driver that labels everything alike) with " #2", " #3". */
export function uniqueLabels(sensors: readonly Sensor[]): Sensor[] {
  const seen = new Map<string, number>();
  return sensors.map((s) => {
    const key = `${s.chip}\u0000${s.label}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? s : { ...s, label: `${s.label} #${n}` };
  });
}

/** The N of every temp<N>_input among a directory's entries, ascending. */
export function tempIndexes(entries: readonly string[]): number[] {
  const indexes: number[] = [];
  for (const name of entries) {
    if (!name.startsWith("temp") || !name.endsWith("_input")) continue;
    const n = Number(name.slice(4, -6));
    if (Number.isInteger(n)) indexes.push(n);
  }
  return indexes.sort((a, b) => a - b);
}

/** Static facts of a chip directory, kept while its listing does not change. */
interface ChipLayout {
  listing: string;
  /** Where the attributes live: the hwmon dir, or its device/ on old kernels. */
  dir: string;
  chip: string;
  temps: { index: number; label: string | null; max: string | null; crit: string | null }[];
}

export class SensorReader {
  readonly #sysfs: string;
  readonly #layouts = new Map<string, ChipLayout>();
  /** Chips whose previous read has not come back; skipped until it does. */
  readonly #stuck = new Set<string>();

  constructor(sysfs: string) {
    this.#sysfs = sysfs;
  }

  /**
   * At once, without a promise or a timer, on a machine with neither hwmon chips nor thermal
   * zones (most VMs): there is nothing there that could hang.
   */
  read(): MaybePromise<Sensor[]> {
    const base = `${this.#sysfs}/class/hwmon`;
    const chips = sortedByNumber(listDir(base), "hwmon");
    if (chips.length > 0) return this.#readChips(base, chips);
    const zones = thermalZoneNames(this.#sysfs);
    return zones.length === 0 ? [] : readThermalZones(this.#sysfs, zones).then(uniqueLabels);
  }

  async #readChips(base: string, chips: readonly string[]): Promise<Sensor[]> {
    const perChip = await Promise.all(chips.map((name) => this.#chip(`${base}/${name}`, name)));
    const sensors = perChip.flat();
    return uniqueLabels(sensors.length > 0 ? sensors : await readThermalZones(this.#sysfs));
  }

  async #chip(hwmonDir: string, fallbackName: string): Promise<Sensor[]> {
    if (this.#stuck.has(hwmonDir)) return [];
    const pending = this.#readChip(hwmonDir, fallbackName);
    this.#stuck.add(hwmonDir);
    pending.finally(() => this.#stuck.delete(hwmonDir)).catch(() => {});
    try {
      return await withTimeout(pending, SENSOR_CHIP_TIMEOUT_MS, hwmonDir);
    } catch {
      return [];
    }
  }

  async #readChip(hwmonDir: string, fallbackName: string): Promise<Sensor[]> {
    const layout = await this.#layout(hwmonDir, fallbackName);
    if (layout === null) return [];
    const inputs = await Promise.all(
      layout.temps.map((t) => readOptionalAsync(`${layout.dir}/temp${t.index}_input`)),
    );
    return chipSensors(
      layout.chip,
      layout.temps.map((t, i) => ({ ...t, input: inputs[i] ?? null })),
    );
  }

  /** Labels and limits are static: read them again only when the chip's directory changes. */
  async #layout(hwmonDir: string, fallbackName: string): Promise<ChipLayout | null> {
    let entries = listDir(hwmonDir);
    let dir = hwmonDir;
    // Kernels before 3.x (and some drivers still) put the attributes on the parent device.
    if (tempIndexes(entries).length === 0 && entries.includes("device")) {
      dir = `${hwmonDir}/device`;
      entries = listDir(dir);
    }
    const listing = entries.join("/");
    const known = this.#layouts.get(hwmonDir);
    if (known && known.listing === listing) return known;
    const indexes = tempIndexes(entries);
    if (indexes.length === 0) return null;
    const attr = (name: string) =>
      entries.includes(name) ? readOptionalAsync(`${dir}/${name}`) : Promise.resolve(null);
    const chip = (await attr("name"))?.trim() || fallbackName;
    const temps = await Promise.all(
      indexes.map(async (index) => {
        const [label, max, crit] = await Promise.all([
          attr(`temp${index}_label`),
          attr(`temp${index}_max`),
          attr(`temp${index}_crit`),
        ]);
        return { index, label, max, crit };
      }),
    );
    const layout = { listing, dir, chip, temps };
    this.#layouts.set(hwmonDir, layout);
    return layout;
  }
}

/** ACPI and SoC thermal zones: `type` names the zone, `temp` is in millidegrees. */
export async function readThermalZones(
  sysfs: string,
  zones = thermalZoneNames(sysfs),
): Promise<Sensor[]> {
  const base = `${sysfs}/class/thermal`;
  const sensors = await Promise.all(
    zones.map(async (zone): Promise<Sensor | null> => {
      const [type, temp] = await Promise.all([
        readOptionalAsync(`${base}/${zone}/type`),
        readOptionalAsync(`${base}/${zone}/temp`),
      ]);
      const celsius = milliCelsius(temp);
      if (celsius === null) return null;
      const name = type?.trim() || zone;
      return { label: name, chip: name, celsius, max_celsius: null, crit_celsius: null };
    }),
  );
  return sensors.filter((s): s is Sensor => s !== null);
}

/** thermal_zone0, thermal_zone1, ... */
function thermalZoneNames(sysfs: string): string[] {
  return sortedByNumber(listDir(`${sysfs}/class/thermal`), "thermal_zone");
}

/** Entries named <prefix><N>, by N (hwmon2 before hwmon10). */
function sortedByNumber(entries: readonly string[], prefix: string): string[] {
  return entries
    .filter(
      (e) =>
        e.length > prefix.length &&
        e.startsWith(prefix) &&
        Number.isInteger(Number(e.slice(prefix.length))),
    )
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
