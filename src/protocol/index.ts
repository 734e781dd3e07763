// The wire format: valibot schemas for HostInfo, Snapshot and WebSocket messages, the one source
// of truth imported by sender, receiver, TUI and web dashboard. Field names carry their unit.
import * as v from "valibot";

export const PROTOCOL_VERSION = 1;

export const SECTIONS = [
  "cpu",
  "memory",
  "disks",
  "disk_io",
  "network",
  "sensors",
  "gpus",
  "processes",
  "health",
  "custom",
  "guests",
  "containers",
] as const;
export type Section = (typeof SECTIONS)[number];

/** Every number on the wire is finite: 1e999 parses as Infinity, which JSON cannot carry back. */
const num = v.pipe(v.number(), v.finite());
const count = v.pipe(num, v.integer(), v.minValue(0));
const bytes = count;
const pct = v.pipe(num, v.minValue(0), v.maxValue(100));
/** A rate needs two samples; null when it could not be computed (for example a counter reset). */
const rate = v.nullable(v.pipe(num, v.minValue(0)));

// Caps on what a sender may send: a receiver decodes answers from machines it does not control,
// and a tampered sender must not make it allocate or validate without bound. Generous enough for
// the largest real hosts (8192 is Linux's NR_CPUS maximum; a container host can list hundreds of
// mounts and virtual interfaces); a host beyond them shows as incompatible, naming the cap.
export const PROTOCOL_CAPS = {
  /** Names and labels: a device, an interface, a sensor, a process, a user, an OS. */
  nameChars: 256,
  /** Mount points and device paths (Linux's PATH_MAX). */
  pathChars: 4096,
  /** A section's error reason. */
  reasonChars: 1024,
  cores: 8192,
  disks: 2048,
  interfaces: 2048,
  sensors: 1024,
  gpus: 64,
  processes: 1024,
  /** Health: pools (ZFS, mdraid) and failed systemd units. */
  pools: 256,
  units: 1024,
  /** Custom metrics (textfile *.prom): files, families, samples over all families, labels per sample. */
  customFiles: 256,
  customFamilies: 2048,
  customSamples: 4096,
  customLabels: 32,
  /** Proxmox VMs and containers of one host, running or stopped. */
  guests: 4096,
  /** Docker, Podman and containerd containers of one host. */
  containers: 4096,
} as const;

const name = v.pipe(v.string(), v.maxLength(PROTOCOL_CAPS.nameChars));
const path = v.pipe(v.string(), v.maxLength(PROTOCOL_CAPS.pathChars));

/**
 * An array of at most `max` items. The length is checked before the items: valibot checks every
 * item first otherwise, and a sender's 6 MB array of numbers then costs ~70 ms of CPU a round.
 */
function list<T extends v.GenericSchema>(item: T, max: number) {
  return v.pipe(
    v.custom<unknown[]>(
      (input) => !Array.isArray(input) || input.length <= max,
      (issue) => `at most ${max} items, got ${(issue.input as unknown[]).length}`,
    ),
    v.array(item),
  );
}

export const CpuSchema = v.object({
  total_pct: pct,
  user_pct: pct,
  system_pct: pct,
  iowait_pct: v.nullable(pct),
  steal_pct: v.nullable(pct),
  cores_pct: list(pct, PROTOCOL_CAPS.cores),
  /** 1, 5 and 15 minute load averages; null where the OS has none (Windows). */
  load: v.nullable(v.tuple([num, num, num])),
  /** Mean current frequency over all cores. */
  freq_mhz: v.nullable(num),
});

export const MemorySchema = v.object({
  total_bytes: bytes,
  /** total - available: what applications hold, not counting reclaimable cache. */
  used_bytes: bytes,
  available_bytes: bytes,
  cached_bytes: v.nullable(bytes),
  swap_total_bytes: bytes,
  swap_used_bytes: bytes,
});

export const DiskSchema = v.object({
  mount: path,
  fs: name,
  device: path,
  /** null when the mount point cannot be stat'ed from here (a host tree read from a container). */
  total_bytes: v.nullable(bytes),
  used_bytes: v.nullable(bytes),
  available_bytes: v.nullable(bytes),
});

export const DiskIoSchema = v.object({
  device: path,
  read_bps: rate,
  write_bps: rate,
  /** Share of the interval the device was busy with I/O. */
  busy_pct: v.nullable(pct),
  read_total_bytes: bytes,
  write_total_bytes: bytes,
});

export const NetworkSchema = v.object({
  iface: name,
  rx_bps: rate,
  tx_bps: rate,
  rx_total_bytes: bytes,
  tx_total_bytes: bytes,
});

export const SensorSchema = v.object({
  label: name,
  /** The chip or zone the reading came from (coretemp, nvme, k10temp, acpitz, ...). */
  chip: name,
  celsius: num,
  max_celsius: v.nullable(num),
  crit_celsius: v.nullable(num),
});

export const GpuSchema = v.object({
  name: name,
  vendor: name,
  util_pct: v.nullable(pct),
  mem_used_bytes: v.nullable(bytes),
  mem_total_bytes: v.nullable(bytes),
  celsius: v.nullable(num),
  power_watts: v.nullable(num),
});

export const ProcessSchema = v.object({
  pid: count,
  name: name,
  user: name,
  /** Percent of ONE core, as top shows it: a process busy on two cores reads 200. */
  cpu_pct: v.pipe(num, v.minValue(0)),
  mem_bytes: bytes,
  /** The kernel's one-letter state: R running, S sleeping, D disk wait, Z zombie, T stopped, I idle. */
  state: name,
  /** Resident memory as a percent of the host's memory. Optional: older senders lack it. */
  mem_pct: v.optional(pct),
  /** Threads in the process. Optional: older senders lack it. */
  threads: v.optional(count),
  /** A kernel thread (a child of kthreadd: no memory or command line of its own). */
  kernel: v.optional(v.boolean()),
});

export const ProcessesSchema = v.object({
  count: count,
  running: count,
  /**
   * The union of the busiest processes by cpu_pct and the largest by mem_bytes (the top N of
   * each), highest cpu_pct first: sorting by memory finds the biggest user even when it idles.
   */
  top: list(ProcessSchema, PROTOCOL_CAPS.processes),
  /**
   * How long cpu_pct was measured over, in ms. null: the first answer after a long idle, where
   * cpu_pct is each process's average since it started (as ps shows it), not a short glimpse.
   * Optional: older senders lack it.
   */
  cpu_window_ms: v.optional(v.nullable(count)),
});

// --- health: S.M.A.R.T., pools and failed units; a slow section read every few minutes ---

/** The health sources; each one missing is named in `unavailable` with the reason. */
export const HEALTH_SOURCES = ["smart", "zfs", "mdraid", "units"] as const;
export type HealthSource = (typeof HEALTH_SOURCES)[number];
const reason = v.pipe(v.string(), v.maxLength(PROTOCOL_CAPS.reasonChars));

export const DiskHealthSchema = v.object({
  /** As smartctl names it: /dev/sda, /dev/nvme0. */
  device: path,
  /** The protocol smartctl spoke: ata, sat, nvme, scsi, ... */
  kind: name,
  model: v.nullable(name),
  serial: v.nullable(name),
  /** smartctl's overall self-assessment: false is FAILED; null when it gave no verdict. */
  ok: v.nullable(v.boolean()),
  celsius: v.nullable(num),
  power_on_hours: v.nullable(count),
  /** Share of the rated endurance used (NVMe "percentage used", SSD wear attributes); past 100 when worn beyond it. */
  wear_pct: v.nullable(v.pipe(num, v.minValue(0), v.maxValue(255))),
  reallocated_sectors: v.nullable(count),
  pending_sectors: v.nullable(count),
  /** NVMe media and data integrity errors; ATA offline uncorrectable sectors. */
  media_errors: v.nullable(count),
  /** Why the disk could not be read (permission denied, timed out); the numbers are then null. */
  error: v.nullable(reason),
});

export const PoolSchema = v.object({
  name: name,
  kind: v.picklist(["zfs", "mdraid"]),
  /** As the tool says it: ONLINE, DEGRADED, FAULTED (ZFS); active, degraded, recovering (mdraid). */
  state: name,
  /** false when the pool or array lacks redundancy or data: anything but ONLINE / all members up. */
  ok: v.boolean(),
  /** mdraid: raid1, raid5, ...; ZFS: null (a pool mixes vdev layouts). */
  level: v.nullable(name),
  devices: count,
  /** Members not working (faulted, offline, removed, unavailable, failed), or failed and still listed. */
  failed_devices: count,
  /** A running resilver, scrub, resync or recovery, in percent done; null when none runs. */
  progress_pct: v.nullable(pct),
  /** The tool's own words on what is wrong (ZFS status:, mdraid [U_]); null when fine. */
  detail: v.nullable(reason),
});

export const FailedUnitSchema = v.object({
  name: name,
  description: v.nullable(name),
  /** systemd's states: load (loaded, not-found), active (failed), sub (failed, ...). */
  load: name,
  active: name,
  sub: name,
});

export const HealthSchema = v.object({
  /** When these were read (epoch ms): the section is cached for minutes, not read per snapshot. */
  collected_ms: count,
  disks: list(DiskHealthSchema, PROTOCOL_CAPS.disks),
  pools: list(PoolSchema, PROTOCOL_CAPS.pools),
  failed_units: list(FailedUnitSchema, PROTOCOL_CAPS.units),
  /** Sources that could not be read, with why: "smartctl is not installed", "timed out after 10 s". */
  unavailable: v.record(v.picklist(HEALTH_SOURCES), reason),
});

// --- custom: node_exporter textfile metrics (*.prom), re-exported on /metrics ---

export const CUSTOM_TYPES = ["counter", "gauge", "untyped", "histogram", "summary"] as const;
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const metricName = v.pipe(
  v.string(),
  v.maxLength(PROTOCOL_CAPS.nameChars),
  v.regex(METRIC_NAME, "not a Prometheus metric name"),
  v.check((n) => !n.startsWith("hwm_"), "the hwm_ prefix is kept for hwm's own metrics"),
);
const labelName = v.pipe(
  v.string(),
  v.maxLength(PROTOCOL_CAPS.nameChars),
  v.regex(LABEL_NAME, "not a Prometheus label name"),
  v.check((n) => !n.startsWith("__"), "label names starting with __ are reserved"),
);
/** JSON has no NaN or infinities: those values travel as the text format writes them. */
export const CustomValueSchema = v.union([num, v.picklist(["NaN", "+Inf", "-Inf"])]);

export const CustomSampleSchema = v.object({
  /** The family's name, or with _bucket, _sum, _count for histograms and summaries. */
  name: metricName,
  labels: v.pipe(
    v.custom<Record<string, string>>(
      (input) =>
        typeof input !== "object" ||
        input === null ||
        Object.keys(input).length <= PROTOCOL_CAPS.customLabels,
      `at most ${PROTOCOL_CAPS.customLabels} labels`,
    ),
    v.record(labelName, reason),
  ),
  value: CustomValueSchema,
});

export const CustomFamilySchema = v.object({
  name: metricName,
  type: v.picklist(CUSTOM_TYPES),
  help: v.nullable(reason),
  samples: list(CustomSampleSchema, PROTOCOL_CAPS.customSamples),
});

export const CustomFileSchema = v.object({
  /** The file's name in the directory, e.g. "backup.prom". */
  file: name,
  mtime_ms: v.nullable(count),
  /** Samples taken from it: 0 when it was refused. */
  samples: count,
  /** Why the whole file was refused ("line 3: ..."); null when it was read. */
  error: v.nullable(reason),
});

/** The total of samples over all families, counted before valibot walks them. */
function customSampleCount(input: unknown): number {
  const families = (input as { families?: unknown }).families;
  if (!Array.isArray(families)) return 0;
  let total = 0;
  for (const f of families) {
    const samples = (f as { samples?: unknown } | null)?.samples;
    if (Array.isArray(samples)) total += samples.length;
  }
  return total;
}

export const CustomSchema = v.pipe(
  v.custom<unknown>(
    (input) =>
      typeof input !== "object" ||
      input === null ||
      customSampleCount(input) <= PROTOCOL_CAPS.customSamples,
    `at most ${PROTOCOL_CAPS.customSamples} samples over all families`,
  ),
  v.object({
    /** The textfile directory ([custom] textfile_dir); null when none is configured. */
    dir: v.nullable(path),
    files: list(CustomFileSchema, PROTOCOL_CAPS.customFiles),
    families: list(CustomFamilySchema, PROTOCOL_CAPS.customFamilies),
  }),
);

// --- guests and containers: Proxmox VMs and CTs, Docker/Podman/containerd, read from cgroups ---

export const GUEST_KINDS = ["vm", "ct"] as const;
/** paused: frozen (docker pause, a frozen cgroup); stopped: configured but not running (guests only). */
export const GUEST_STATUSES = ["running", "paused", "stopped"] as const;
export const CONTAINER_RUNTIMES = ["docker", "podman", "containerd", "cri-o"] as const;

/** What a guest and a container share: the cgroup's usage, its limits, its traffic. */
const cgroupUsage = {
  /** Percent of ONE core, as top shows it: busy on two cores reads 200. Of the host: divide by cpu_cores. */
  cpu_pct: v.nullable(v.pipe(num, v.minValue(0))),
  /** Configured cores (a VM's cores x sockets or vcpus, a CT's cores); a container's CPU quota. */
  cores: v.nullable(v.pipe(num, v.minValue(0))),
  /** memory.current minus inactive file cache: what the guest's processes hold (docker stats counts the same). */
  mem_used_bytes: v.nullable(bytes),
  /** memory.max, else the configured memory; null when unlimited. */
  mem_limit_bytes: v.nullable(bytes),
  disk_read_bps: rate,
  disk_write_bps: rate,
  /** As the guest sees it: what the host's tap/veth interface sent is what the guest received. */
  net_rx_bps: rate,
  net_tx_bps: rate,
  uptime_s: v.nullable(count),
};

export const GuestSchema = v.object({
  /** The VMID: 100 in qemu-server/100.conf. */
  id: count,
  kind: v.picklist(GUEST_KINDS),
  /** `name:` of a VM, `hostname:` of a CT; null when its config cannot be read. */
  name: v.nullable(name),
  status: v.picklist(GUEST_STATUSES),
  ...cgroupUsage,
});

export const ContainerSchema = v.object({
  /** The runtime's full id (64 hex digits for Docker, Podman and containerd). */
  id: name,
  runtime: v.picklist(CONTAINER_RUNTIMES),
  /** The runtime's name for it (without Docker's leading "/"); null when no API or state file says. */
  name: v.nullable(name),
  image: v.nullable(name),
  status: v.picklist(GUEST_STATUSES),
  ...cgroupUsage,
});

export const SnapshotSchema = v.object({
  v: v.literal(PROTOCOL_VERSION),
  host: name,
  ts_ms: count,
  uptime_s: v.nullable(count),
  cpu: v.optional(v.nullable(CpuSchema)),
  memory: v.optional(v.nullable(MemorySchema)),
  disks: v.optional(v.nullable(list(DiskSchema, PROTOCOL_CAPS.disks))),
  disk_io: v.optional(v.nullable(list(DiskIoSchema, PROTOCOL_CAPS.disks))),
  network: v.optional(v.nullable(list(NetworkSchema, PROTOCOL_CAPS.interfaces))),
  sensors: v.optional(v.nullable(list(SensorSchema, PROTOCOL_CAPS.sensors))),
  gpus: v.optional(v.nullable(list(GpuSchema, PROTOCOL_CAPS.gpus))),
  processes: v.optional(v.nullable(ProcessesSchema)),
  health: v.optional(v.nullable(HealthSchema)),
  custom: v.optional(v.nullable(CustomSchema)),
  guests: v.optional(v.nullable(list(GuestSchema, PROTOCOL_CAPS.guests))),
  containers: v.optional(v.nullable(list(ContainerSchema, PROTOCOL_CAPS.containers))),
  /** Sections that were asked for but failed (their key is then null), with the reason. */
  errors: v.optional(
    v.record(v.picklist(SECTIONS), v.pipe(v.string(), v.maxLength(PROTOCOL_CAPS.reasonChars))),
  ),
});

export const HostInfoSchema = v.object({
  v: v.literal(PROTOCOL_VERSION),
  hostname: name,
  /** linux, darwin, win32, ... */
  platform: name,
  /** Pretty OS name, e.g. "Debian GNU/Linux 12 (bookworm)". */
  os: name,
  kernel: name,
  arch: name,
  cpu_model: name,
  cpu_cores: count,
  memory_total_bytes: bytes,
  boot_time_ms: v.nullable(count),
  hwm_version: name,
});

export type Cpu = v.InferOutput<typeof CpuSchema>;
export type Memory = v.InferOutput<typeof MemorySchema>;
export type Disk = v.InferOutput<typeof DiskSchema>;
export type DiskIo = v.InferOutput<typeof DiskIoSchema>;
export type NetworkIface = v.InferOutput<typeof NetworkSchema>;
export type Sensor = v.InferOutput<typeof SensorSchema>;
export type Gpu = v.InferOutput<typeof GpuSchema>;
export type ProcessInfo = v.InferOutput<typeof ProcessSchema>;
export type Processes = v.InferOutput<typeof ProcessesSchema>;
export type DiskHealth = v.InferOutput<typeof DiskHealthSchema>;
export type Pool = v.InferOutput<typeof PoolSchema>;
export type FailedUnit = v.InferOutput<typeof FailedUnitSchema>;
export type Health = v.InferOutput<typeof HealthSchema>;
export type CustomType = (typeof CUSTOM_TYPES)[number];
export type CustomValue = v.InferOutput<typeof CustomValueSchema>;
export type CustomSample = v.InferOutput<typeof CustomSampleSchema>;
export type CustomFamily = v.InferOutput<typeof CustomFamilySchema>;
export type CustomFile = v.InferOutput<typeof CustomFileSchema>;
export type Custom = v.InferOutput<typeof CustomSchema>;
export type Guest = v.InferOutput<typeof GuestSchema>;
export type Container = v.InferOutput<typeof ContainerSchema>;
export type Snapshot = v.InferOutput<typeof SnapshotSchema>;
export type HostInfo = v.InferOutput<typeof HostInfoSchema>;

/** What each section holds when present in a Snapshot. */
export interface SectionData {
  cpu: Cpu;
  memory: Memory;
  disks: Disk[];
  disk_io: DiskIo[];
  network: NetworkIface[];
  sensors: Sensor[];
  gpus: Gpu[];
  processes: Processes;
  health: Health;
  custom: Custom;
  guests: Guest[];
  containers: Container[];
}

// --- WebSocket /api/v1/ws: request/response between a receiver (or any program) and a sender ---

const messageId = v.pipe(num, v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

export const WsRequestSchema = v.variant("type", [
  v.object({
    id: messageId,
    type: v.literal("snapshot"),
    sections: v.optional(v.array(v.picklist(SECTIONS))),
  }),
  v.object({ id: messageId, type: v.literal("info") }),
]);
export type WsRequest = v.InferOutput<typeof WsRequestSchema>;

const SECTION_SET: ReadonlySet<string> = new Set(SECTIONS);

/**
 * The shape every well-formed request has, checked by hand: valibot costs ~0.5 ms of cold CPU per
 * call, as much as a whole sample, on the path a receiver hits every second. Anything this does
 * not accept goes through WsRequestSchema, which stays the authority and names the problem; a
 * test checks the two agree.
 */
export function isPlainWsRequest(value: unknown): value is WsRequest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const m = value as Record<string, unknown>;
  const id = m.id;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) return false;
  const keys = Object.keys(m);
  if (m.type === "info") return keys.length === 2;
  if (m.type !== "snapshot") return false;
  if (m.sections === undefined) return keys.length === 2;
  return (
    keys.length === 3 &&
    Array.isArray(m.sections) &&
    m.sections.every((s) => typeof s === "string" && SECTION_SET.has(s))
  );
}

export const ERROR_CODES = [
  "bad_json",
  "bad_message",
  "too_large",
  "rate_limited",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const WsErrorSchema = v.object({
  id: v.nullable(messageId),
  type: v.literal("error"),
  error: v.object({
    code: v.picklist(ERROR_CODES),
    message: v.pipe(v.string(), v.maxLength(PROTOCOL_CAPS.reasonChars)),
  }),
});

export const WsResponseSchema = v.variant("type", [
  v.object({ id: messageId, type: v.literal("snapshot"), data: SnapshotSchema }),
  v.object({ id: messageId, type: v.literal("info"), data: HostInfoSchema }),
  WsErrorSchema,
]);
export type WsResponse = v.InferOutput<typeof WsResponseSchema>;
export type WsError = v.InferOutput<typeof WsErrorSchema>;

// --- helpers shared by every side ---

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validate untrusted input; on failure, one readable line per problem, naming its path. */
export function decode<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): Decoded<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, error: describeIssues(result.issues) };
}

export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = v.getDotPath(issue);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

/** Parse a comma-separated section list ("cpu,memory"); empty or absent means all sections. */
export function parseSections(list: string | null | undefined): Decoded<Section[]> {
  if (list == null || list.trim() === "") return { ok: true, value: [...SECTIONS] };
  const names = list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    return {
      ok: false,
      error: `unknown section${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}; valid sections: ${SECTIONS.join(", ")}`,
    };
  }
  return { ok: true, value: [...new Set(names)] as Section[] };
}

// --- receiver → consumers: GET /api/v1/hosts and WS /api/v1/live ---

export const HOST_STATUSES = [
  "online",
  "stale",
  "offline",
  "unauthorized",
  "incompatible",
] as const;
export type HostStatus = (typeof HOST_STATUSES)[number];

/** Sections every fleet frame carries for every host; the rest only for watched hosts. */
export const FLEET_SECTIONS = [
  "cpu",
  "memory",
  "disks",
  "disk_io",
  "network",
  "sensors",
  "gpus",
  "health",
  "custom",
] as const satisfies readonly Section[];
/** Sections a consumer must `watch` a host to receive (they cost the sender the most). */
export const WATCH_SECTIONS = [
  "processes",
  "guests",
  "containers",
] as const satisfies readonly Section[];

/** A firing alert, as a fleet card shows it. */
export const FiringAlertSchema = v.object({
  /** The rule's name in [[alerts]]. */
  rule: v.string(),
  /** The metric key for list rules ("/var" for disks[*].used_pct); null otherwise. */
  key: v.nullable(v.string()),
  since_ms: count,
  /** One line for people: "disks[/var].used_pct is 93.2 (> 90) for 5m". */
  message: v.string(),
});
export type FiringAlert = v.InferOutput<typeof FiringAlertSchema>;

export const HostStateSchema = v.object({
  /** The sender's `name` in the config; in role both, the local host's hostname. */
  id: v.string(),
  /** Where the receiver polls it; "local" for the receiver's own host in role both. */
  url: v.string(),
  status: v.picklist(HOST_STATUSES),
  info: v.nullable(HostInfoSchema),
  /** The last snapshot received; kept when the host goes away (check last_seen_ms). */
  snapshot: v.nullable(SnapshotSchema),
  last_seen_ms: v.nullable(count),
  last_error: v.nullable(v.string()),
  /** Alerts firing for this host now; absent on a node without alert rules. */
  alerts: v.optional(v.array(FiringAlertSchema)),
});
export type HostState = v.InferOutput<typeof HostStateSchema>;

export const FleetMessageSchema = v.object({
  type: v.literal("fleet"),
  ts_ms: count,
  interval_ms: count,
  hosts: v.array(HostStateSchema),
});
export type FleetMessage = v.InferOutput<typeof FleetMessageSchema>;

/** Sent after each fleet frame to a consumer that watches a host: that host's heavy sections. */
export const HostDetailMessageSchema = v.object({
  type: v.literal("host"),
  ts_ms: count,
  id: v.string(),
  snapshot: SnapshotSchema,
});
export type HostDetailMessage = v.InferOutput<typeof HostDetailMessageSchema>;

/** What a receiver offers beyond the live fleet, so that dashboards show only what works. */
export const FeaturesSchema = v.object({
  /** Where history comes from; null: history is off (the history routes answer 404). */
  history: v.nullable(v.picklist(["sqlite", "prometheus"])),
  /** Whether alert rules are configured (GET /api/v1/alerts). */
  alerts: v.boolean(),
});
export type Features = v.InferOutput<typeof FeaturesSchema>;

/** GET /api/v1/hosts */
export const HostsResponseSchema = v.object({
  ts_ms: count,
  hosts: v.array(HostStateSchema),
  features: v.optional(FeaturesSchema),
});
export type HostsResponse = v.InferOutput<typeof HostsResponseSchema>;

/** What a consumer may send on /api/v1/live. */
export const LiveRequestSchema = v.variant("type", [
  v.object({
    type: v.literal("watch"),
    /** null stops watching. */
    host: v.nullable(v.pipe(v.string(), v.maxLength(128))),
    sections: v.optional(v.array(v.picklist(SECTIONS))),
  }),
]);
export type LiveRequest = v.InferOutput<typeof LiveRequestSchema>;

/** The receiver's answer to a bad consumer message (same shape as the sender's WS errors). */
export type LiveError = WsError;

// --- receiver → consumers: history and alerts ---

/** [ts_ms, value]: the value is the mean (or the maximum, agg=max) of the step starting at ts_ms. */
const PointSchema = v.tuple([count, num]);

/**
 * GET /api/v1/hosts/:id/history. Each series holds only steps with data: a hole of more than one
 * step between two points is a time without data (the host was down, or nobody recorded).
 */
export const HistoryResponseSchema = v.object({
  host: v.string(),
  from_ms: count,
  to_ms: count,
  step_ms: count,
  agg: v.picklist(["avg", "max"]),
  series: v.record(v.string(), v.array(PointSchema)),
});
export type HistoryResponse = v.InferOutput<typeof HistoryResponseSchema>;

/** GET /api/v1/history: the same for many hosts at once (the fleet's sparklines). */
export const FleetHistoryResponseSchema = v.object({
  from_ms: count,
  to_ms: count,
  step_ms: count,
  agg: v.picklist(["avg", "max"]),
  hosts: v.record(v.string(), v.record(v.string(), v.array(PointSchema))),
});
export type FleetHistoryResponse = v.InferOutput<typeof FleetHistoryResponseSchema>;

export const ALERT_STATES = ["ok", "pending", "firing"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const AlertInstanceSchema = v.object({
  host: v.string(),
  key: v.nullable(v.string()),
  state: v.picklist(ALERT_STATES),
  /** When the condition started to hold (pending) or the alert fired (firing). */
  since_ms: count,
  /** The metric's value at the last evaluation; null for status rules (offline, reboot). */
  value: v.nullable(num),
  message: v.string(),
  /** Inside one of the rule's silence windows: shown, but nobody is notified. */
  silenced: v.boolean(),
});
export type AlertInstance = v.InferOutput<typeof AlertInstanceSchema>;

export const AlertRuleStateSchema = v.object({
  name: v.string(),
  when: v.string(),
  for_ms: count,
  hosts: v.array(v.string()),
  notify: v.array(v.string()),
  /** The worst state of its instances. */
  state: v.picklist(ALERT_STATES),
  /** Every host (and key) for which the rule is pending or firing. */
  instances: v.array(AlertInstanceSchema),
});
export type AlertRuleState = v.InferOutput<typeof AlertRuleStateSchema>;

export const AlertEventSchema = v.object({
  ts_ms: count,
  rule: v.string(),
  host: v.string(),
  key: v.nullable(v.string()),
  /** A reboot rule fires once and has no resolved event. */
  kind: v.picklist(["firing", "resolved"]),
  value: v.nullable(num),
  message: v.string(),
});
export type AlertEvent = v.InferOutput<typeof AlertEventSchema>;

/** GET /api/v1/alerts */
export const AlertsResponseSchema = v.object({
  ts_ms: count,
  rules: v.array(AlertRuleStateSchema),
  /** Newest first, bounded. */
  events: v.array(AlertEventSchema),
});
export type AlertsResponse = v.InferOutput<typeof AlertsResponseSchema>;
