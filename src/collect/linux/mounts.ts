// Mounted filesystems from /proc/<pid>/mountinfo (or /proc/mounts): parsing, keeping real
// filesystems only, and collapsing bind mounts.

export interface MountEntry {
  /** The mount point, with the kernel's octal escapes (\040 for a space) decoded. */
  mount: string;
  fs: string;
  /** The mount source: /dev/sda1, /dev/mapper/vg-root, tank/data, server:/export, ... */
  device: string;
  /** "major:minor" from mountinfo; null from /proc/mounts, which has none. */
  devId: string | null;
}

/** Filesystem types that hold no user data (kernel interfaces, memory, container layers, images). */
const PSEUDO_FS = new Set([
  "proc",
  "sysfs",
  "devtmpfs",
  "devpts",
  "tmpfs",
  "ramfs",
  "cgroup",
  "cgroup2",
  "autofs",
  "binfmt_misc",
  "bpf",
  "configfs",
  "debugfs",
  "tracefs",
  "securityfs",
  "pstore",
  "efivarfs",
  "hugetlbfs",
  "mqueue",
  "nsfs",
  "fusectl",
  "rpc_pipefs",
  "selinuxfs",
  "squashfs",
  "erofs",
  "overlay",
  "aufs",
  "fuse.lxcfs",
  "fuse.gvfsd-fuse",
  "fuse.portal",
  "fuse.snapfuse",
  "iso9660",
  "nfsd",
]);

/**
 * Mount points that are the system's plumbing or another tool's private storage: container
 * layers and pod volumes (usually bind mounts of a disk already listed), snaps, credentials.
 */
const EXCLUDED_MOUNT_ROOTS = [
  "/proc",
  "/sys",
  "/dev",
  "/run/credentials",
  "/var/lib/docker",
  "/var/lib/containers",
  "/var/lib/kubelet",
  "/snap",
];

/** Decode the octal escapes the kernel uses in mount paths: \040 space, \011 tab, \012 newline, \134 backslash. */
export function decodeMountPath(raw: string): string {
  if (!raw.includes("\\")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    const octal = raw.slice(i + 1, i + 4);
    if (ch === "\\" && /^[0-7]{3}$/.test(octal)) {
      out += String.fromCharCode(Number.parseInt(octal, 8));
      i += 3;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * mountinfo lines: `id parent major:minor root mountpoint options [optional...] - fstype source superopts`.
 * The optional fields vary in number, so the fs type is found after the lone "-".
 */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const cols = line.split(" ");
    const sep = cols.indexOf("-", 6);
    const devId = cols[2];
    const mount = cols[4];
    const fs = cols[sep + 1];
    const device = cols[sep + 2];
    if (sep < 0 || devId === undefined || mount === undefined || fs === undefined) continue;
    entries.push({
      mount: decodeMountPath(mount),
      fs,
      device: decodeMountPath(device ?? ""),
      devId,
    });
  }
  return entries;
}

/** /proc/mounts lines: `source mountpoint fstype options dump pass`. */
export function parseProcMounts(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split("\n")) {
    const cols = line.split(" ");
    const [device, mount, fs] = cols;
    if (device === undefined || mount === undefined || fs === undefined) continue;
    entries.push({
      mount: decodeMountPath(mount),
      fs,
      device: decodeMountPath(device),
      devId: null,
    });
  }
  return entries;
}

export function isRealMount(entry: MountEntry): boolean {
  if (PSEUDO_FS.has(entry.fs)) return false;
  return !EXCLUDED_MOUNT_ROOTS.some((root) => isAtOrUnder(entry.mount, root));
}

/**
 * Real filesystems only, one entry per device: bind mounts of the same filesystem collapse to
 * the shortest mount point (the first seen on a tie). Sorted by mount point.
 */
export function selectMounts(entries: readonly MountEntry[]): MountEntry[] {
  const byDevice = new Map<string, MountEntry>();
  for (const entry of entries) {
    if (!isRealMount(entry)) continue;
    const key = entry.devId ?? entry.device;
    const kept = byDevice.get(key);
    if (!kept || entry.mount.length < kept.mount.length) byDevice.set(key, entry);
  }
  return [...byDevice.values()].sort((a, b) =>
    a.mount < b.mount ? -1 : a.mount > b.mount ? 1 : 0,
  );
}

function isAtOrUnder(path: string, root: string): boolean {
  return path === root || (path.startsWith(root) && path.charCodeAt(root.length) === 47);
}
