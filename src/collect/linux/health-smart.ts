// S.M.A.R.T. and NVMe health through `smartctl --json`: the devices from `smartctl --scan`, then
// one `smartctl --all` per device, read one after the other. Disks in standby are not woken up.
import { existsSync } from "node:fs";
import type { DiskHealth } from "../../protocol/index.ts";
import { firstLine, type ToolRunner, ToolUnavailable } from "./health-run.ts";

/** smartctl's exit status bits (man smartctl, EXIT STATUS). */
const EXIT_COMMAND_LINE = 1 << 0;
const EXIT_OPEN_FAILED = 1 << 1;
const EXIT_DISK_FAILING = 1 << 3;

/** ATA attributes whose normalised value counts down the endurance left (Samsung, SanDisk, Intel). */
const WEAR_LEFT_ATTRIBUTES = new Set([177, 231, 233]);

type Json = Record<string, unknown>;

const obj = (value: unknown): Json =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
function nonNegative(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}
function positive(value: unknown): number | null {
  const n = nonNegative(value);
  return n === 0 ? null : n;
}
function whole(value: unknown): number | null {
  const n = nonNegative(value);
  return n === null ? null : Math.floor(n);
}
function str(value: unknown, max = 256): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, max) : null;
}

/** A device `smartctl --scan --json` lists: its name and the -d type to open it with. */
export interface ScannedDevice {
  name: string;
  type: string;
}

export function parseSmartctlScan(text: string): ScannedDevice[] {
  const root = obj(JSON.parse(text));
  const devices: ScannedDevice[] = [];
  for (const d of arr(root.devices)) {
    const name = str(obj(d).name, 4096);
    if (name !== null) devices.push({ name, type: str(obj(d).type) ?? "auto" });
  }
  return devices;
}

/** The error messages smartctl put in its JSON, joined. */
function smartctlMessages(root: Json): string | null {
  const texts = arr(obj(root.smartctl).messages)
    .map((m) => obj(m))
    .filter((m) => m.severity === "error" || m.severity === "warning")
    .map((m) => str(m.string, 300))
    .filter((s): s is string => s !== null);
  return texts.length > 0 ? texts.join("; ") : null;
}

function ataAttribute(root: Json, id: number): Json | null {
  const table = arr(obj(root.ata_smart_attributes).table);
  const found = table.find((a) => obj(a).id === id);
  return found === undefined ? null : obj(found);
}

const ataRaw = (root: Json, id: number): number | null =>
  whole(obj(ataAttribute(root, id)?.raw).value);

function ataWearPct(root: Json): number | null {
  // Device statistics (smartctl -x, or -a on recent versions) give it directly.
  for (const page of arr(obj(root.ata_device_statistics).pages)) {
    for (const entry of arr(obj(page).table)) {
      const e = obj(entry);
      if (e.name === "Percentage Used Endurance Indicator") return nonNegative(e.value);
    }
  }
  for (const id of WEAR_LEFT_ATTRIBUTES) {
    const left = nonNegative(ataAttribute(root, id)?.value);
    if (left !== null && left <= 100) return 100 - left;
  }
  return null;
}

/** One device's `smartctl --json --all` output as a DiskHealth; `device` names it when the JSON does not. */
export function parseSmartctlDevice(text: string, device: string): DiskHealth {
  const root = obj(JSON.parse(text));
  const dev = obj(root.device);
  const exit = whole(obj(root.smartctl).exit_status) ?? 0;
  const nvme = obj(root.nvme_smart_health_information_log);
  const isNvme = Object.keys(nvme).length > 0 || dev.protocol === "NVMe";
  const passed = obj(root.smart_status).passed;
  const ok =
    typeof passed === "boolean"
      ? passed && (exit & EXIT_DISK_FAILING) === 0
      : exit & EXIT_DISK_FAILING
        ? false
        : null;
  const opened = (exit & (EXIT_OPEN_FAILED | EXIT_COMMAND_LINE)) === 0;
  const wear = isNvme ? nonNegative(nvme.percentage_used) : ataWearPct(root);
  return {
    device: str(dev.name, 4096) ?? device,
    kind: str(dev.type) ?? (isNvme ? "nvme" : "unknown"),
    model: str(root.model_name) ?? str(root.scsi_model_name),
    serial: str(root.serial_number),
    ok: opened ? ok : null,
    // SCSI devices without a temperature log page report 0; no running disk is at 0 °C.
    celsius: positive(obj(root.temperature).current),
    power_on_hours: whole(obj(root.power_on_time).hours),
    wear_pct: wear === null ? null : Math.min(255, wear),
    reallocated_sectors: isNvme ? null : (ataRaw(root, 5) ?? whole(root.scsi_grown_defect_list)),
    pending_sectors: isNvme ? null : ataRaw(root, 197),
    media_errors: isNvme ? whole(nvme.media_errors) : ataRaw(root, 198),
    error: opened ? null : (smartctlMessages(root) ?? `smartctl could not open ${device}`),
  };
}

/** A disk that could not be read at all: named, with why, every number null. */
export function unreadDisk(device: string, kind: string, error: string): DiskHealth {
  return {
    device,
    kind,
    model: null,
    serial: null,
    ok: null,
    celsius: null,
    power_on_hours: null,
    wear_pct: null,
    reallocated_sectors: null,
    pending_sectors: null,
    media_errors: null,
    error,
  };
}

/** Every disk smartctl finds, read one at a time; stops starting new reads at `deadlineMs`. */
export async function readSmart(runner: ToolRunner, deadlineMs: number): Promise<DiskHealth[]> {
  const scan = await runner.run(["smartctl", "--scan", "--json=c"]);
  let devices: ScannedDevice[];
  try {
    devices = parseSmartctlScan(scan.stdout);
  } catch {
    throw new ToolUnavailable(
      `smartctl --scan gave no JSON (${firstLine(scan) || `exit ${scan.code}`}); smartmontools 7.0 or later is needed`,
    );
  }
  const disks: DiskHealth[] = [];
  for (const { name, type } of devices) {
    if (Date.now() >= deadlineMs) {
      disks.push(unreadDisk(name, type, "skipped: the health reading ran out of time"));
      continue;
    }
    disks.push(await readDevice(runner, name, type));
  }
  return disks;
}

/**
 * The -d option for a scanned type. `--scan` does not open devices, so it calls every /dev/sd*
 * "scsi", SATA disks included; forced to scsi, a SATA disk answers without S.M.A.R.T. and with a
 * temperature of 0. Left out, smartctl opens the disk and finds SAT or SCSI itself.
 */
function typeArgs(type: string): string[] {
  return type === "scsi" || type === "auto" ? [] : ["-d", type];
}

/**
 * The path smartctl opens. An NVMe controller (/dev/nvme0) is root's alone (0600), its first
 * namespace (/dev/nvme0n1) belongs to the disk group and answers the same health log: read
 * through it, the service's drop-in (docs/HEALTH.md) is enough, as the lab showed.
 */
export function openPath(name: string, type: string): string {
  const namespace = `${name}n1`;
  return type === "nvme" && /(^|\/)nvme\d+$/.test(name) && existsSync(namespace) ? namespace : name;
}

async function readDevice(runner: ToolRunner, name: string, type: string): Promise<DiskHealth> {
  let result: Awaited<ReturnType<ToolRunner["run"]>>;
  const path = openPath(name, type);
  try {
    // -n standby: a spun-down disk is left asleep (smartctl then exits with 2 and says so).
    result = await runner.run([
      "smartctl",
      "--json=c",
      "--all",
      "-n",
      "standby",
      ...typeArgs(type),
      path,
    ]);
  } catch (error) {
    return unreadDisk(name, type, (error as Error).message);
  }
  // smartctl's own words ("Device is in STANDBY mode, exit(2)"), not any "standby": its JSON
  // repeats the command line, -n standby included, so every other exit 2 would match.
  if (/Device is in (STANDBY|SLEEP)/.test(result.stdout) && result.code === 2) {
    return unreadDisk(name, type, "in standby: not woken up to read S.M.A.R.T.");
  }
  try {
    const disk = parseSmartctlDevice(result.stdout, name);
    // An NVMe disk read through its namespace keeps the controller's name, as --scan gives it.
    if (path !== name) disk.device = name;
    if (disk.error !== null && /permission denied|operation not permitted/i.test(disk.error)) {
      const needs = type === "nvme" ? "CAP_SYS_ADMIN" : "CAP_SYS_RAWIO";
      disk.error = `${disk.error} (hwm needs the disk group and ${needs} for S.M.A.R.T.: see docs/HEALTH.md)`;
    }
    return disk;
  } catch {
    return unreadDisk(
      name,
      type,
      `smartctl gave no JSON: ${firstLine(result) || `exit ${result.code}`}`,
    );
  }
}
