// Every cache lifetime, timeout and sampling window of the collectors, in one place.
import type { Section } from "../protocol/index.ts";
import type { PlatformSection } from "./source.ts";

/**
 * How long a section's last reading is served before a request triggers a fresh read. Cheap
 * sections stay well under the default 1 s poll interval so every poll sees new data, while a
 * second consumer polling out of phase does not double the work; heavy ones live longer.
 */
export const SECTION_TTL_MS: Readonly<Record<Section, number>> = {
  cpu: 400,
  memory: 250,
  network: 400,
  disk_io: 400,
  disks: 5_000,
  sensors: 1_500,
  gpus: 2_000,
  processes: 900,
  // The health reader keeps its own reading for minutes (HealthOptions.maxAgeMs) and answers at once.
  health: 1_000,
  // Textfiles are re-listed this often; a file is parsed again only when it changed.
  custom: 5_000,
  // A hypervisor's cgroups: a few hundred small files (~2 ms of cold CPU for 100 guests and
  // containers, docs/BENCHMARKS.md), read every third poll at 1 Hz.
  guests: 3_000,
  containers: 3_000,
};

/**
 * On Linux, a section read that takes longer yields null and an error: sensors (I2C chips), GPUs
 * (nvidia-smi) and disks (statfs of a dead NFS mount) can hang, and are read asynchronously so
 * that the timer can fire; where nothing can hang (no chips, only local filesystems, no GPU)
 * they answer at once, without a timer. The /proc readers (0 here) are synchronous reads of
 * files the kernel generates in memory: no timer could interrupt them, and arming one costs
 * ~0.1 ms of cold CPU per section per request, so they get none.
 */
export const SECTION_TIMEOUT_MS: Readonly<Record<PlatformSection | "info", number>> = {
  // The static host facts, read once: a few small files.
  info: 10_000,
  cpu: 0,
  memory: 0,
  network: 0,
  disk_io: 0,
  processes: 0,
  disks: 2_000,
  sensors: 2_000,
  gpus: 5_000,
  // cgroup files, like /proc, cannot hang; /etc/pve is read every GUEST_CONFIG_TTL_MS.
  guests: 0,
  // Only the Docker API's answer is awaited (DOCKER_API_TIMEOUT_MS); this bounds the rest.
  containers: 2_000,
};

/** How long a health reading is served by default ([health] max_age). */
export const HEALTH_MAX_AGE_MS = 5 * 60_000;
/** One smartctl, zpool or systemctl run is killed after this by default ([health] tool_timeout). */
export const HEALTH_TOOL_TIMEOUT_MS = 10_000;

/** Listing and reading the textfile directory (which may be on a network filesystem). */
export const CUSTOM_TIMEOUT_MS = 2_000;

/**
 * The systeminformation path (macOS, Windows) runs a command for most sections (ps, netstat,
 * PowerShell...), any of which can hang: every section has a timeout there.
 */
export const SI_SECTION_TIMEOUT_MS: Readonly<Record<PlatformSection | "info", number>> = {
  // Several commands for the static host facts.
  info: 10_000,
  cpu: 3_000,
  memory: 3_000,
  network: 3_000,
  disk_io: 3_000,
  processes: 5_000,
  disks: 5_000,
  sensors: 5_000,
  gpus: 5_000,
  // No cgroups to read there: they answer [] at once.
  guests: 0,
  containers: 0,
};

/** The short wait between two readings when there is no recent one to compute rates from. */
export const BASELINE_MS = 200;

/**
 * A previous reading older than this is not used for rates: after a long idle, the first
 * request reports the last BASELINE_MS, not the average since the previous request. Long enough
 * for the paces that poll a sender steadily (the history recorder every 10 s, Prometheus every
 * 15 s to 1 min): they get the rate since their previous request, as node_exporter's counters
 * give it, instead of a 200 ms glimpse that also costs a second reading every time.
 */
export const MAX_SAMPLE_AGE_MS = 125_000;

/** The CPU frequency moves little and costs a file per core; refresh it at most this often. */
export const CPU_FREQ_TTL_MS = 2_000;
/**
 * Without cpufreq (most VMs) the frequency comes from /proc/cpuinfo, which the kernel builds for
 * every core on each read (~70 µs) and which hardly moves there: refresh it rarely.
 */
export const CPUINFO_FREQ_TTL_MS = 30_000;

/**
 * The kernel recomputes the load averages every 5 s (LOAD_FREQ): reading /proc/loadavg for
 * every snapshot would mostly return the same numbers.
 */
export const LOADAVG_TTL_MS = 2_000;

/** One statfs/stat of a mount point; a dead NFS server must not stall the whole section. */
export const MOUNT_STAT_TIMEOUT_MS = 1_000;

/** One hwmon chip's readings; a hung I2C chip must not hide the others. */
export const SENSOR_CHIP_TIMEOUT_MS = 1_000;

/** nvidia-smi is killed after this. */
export const NVIDIA_SMI_TIMEOUT_MS = 4_000;

export const DEFAULT_TOP_PROCESSES = 50;

/**
 * Every snapshot carries the hostname and uptime. Reading /proc/sys/kernel/hostname and
 * /proc/uptime costs ~0.25 ms of cold CPU, a third of a small snapshot: the hostname is re-read
 * this often, and uptime is re-read this often and counted on the monotonic clock in between.
 */
export const HOST_FACTS_TTL_MS = 60_000;

/**
 * USER_HZ: the unit of the jiffy counters in /proc/stat and /proc/<pid>/stat. The kernel
 * exports it as 100 on every architecture Linux supports today, whatever CONFIG_HZ is.
 */
export const CLK_TCK = 100;

/** Guest configs in /etc/pve change when somebody edits a guest: re-read this often. */
export const GUEST_CONFIG_TTL_MS = 10_000;
/** A running guest the configs do not know (just created) has them re-read, at most this often. */
export const GUEST_CONFIG_RETRY_MS = 1_000;
/**
 * The guests' and containers' cgroups are looked at again at most this often (at each reading
 * of the section): one that starts shows up then; one that stops is gone at once (its files
 * are). Looking is a stat of each parent cgroup; they are listed again when one's subdirectory
 * count moved, or a listed cgroup went away (cgroup-list.ts)...
 */
export const CGROUP_LIST_TTL_MS = 2_000;
/** ...and in any case this often. */
export const CGROUP_LIST_MAX_AGE_MS = 10_000;
/** memory.max and cpu.max of a guest or container change only when it is resized. */
export const CGROUP_LIMITS_TTL_MS = 10_000;
/**
 * cgroup files kept open between snapshots (4 per guest or container, see cgroup-files.ts);
 * beyond this many, the rest are opened and closed on each read.
 */
export const MAX_KEPT_CGROUP_FILES = 4_096;
/** The Docker or Podman API's answer to GET /containers/json; a hung daemon must not stall a snapshot. */
export const DOCKER_API_TIMEOUT_MS = 500;
/** After the API failed (no answer in time, a bad answer), it is not asked again for this long. */
export const DOCKER_API_BACKOFF_MS = 30_000;
/** The API's names are asked again this often, and sooner when an unknown container appears... */
export const CONTAINER_NAMES_TTL_MS = 30_000;
/** ...but not more often than this. */
export const CONTAINER_NAMES_RETRY_MS = 2_000;
