// Paths of the /proc and /sys fixture trees, and temporary trees built from them for tests.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/** Trees captured on real machines with scripts/capture-fixtures.sh, and hand-written ones. */
export const LINUX_FIXTURES = resolve(import.meta.dir, "../../fixtures/linux");
/** node_exporter's real proc/ and sys/ test trees (Apache-2.0, see its README.md). */
export const NODE_EXPORTER = join(LINUX_FIXTURES, "node-exporter");
export const FIRECRACKER_VM = join(LINUX_FIXTURES, "firecracker-vm");
export const NETNS_BRIDGE = join(LINUX_FIXTURES, "netns-bridge");
export const HANDMADE = join(LINUX_FIXTURES, "handmade");

export function fixtureText(...parts: string[]): string {
  return readFileSync(join(...parts), "utf8");
}

const temporaryDirs: string[] = [];
process.on("exit", () => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hwm-${prefix}-`));
  temporaryDirs.push(dir);
  return dir;
}

/** Write files (path relative to root → content) into a new temporary tree; returns its root. */
export function tempTree(files: Record<string, string>, prefix = "tree"): string {
  const root = makeTempDir(prefix);
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

const materialized = new Map<string, string>();

/**
 * The node_exporter tree stores its symlinks (/sys/class/hwmon/hwmon0 →
 * ../../devices/platform/coretemp.0/hwmon/hwmon0, proc/self → 10, ...) as small files holding
 * the link target; a tree captured with real links, or unpacked by a tool that keeps them, has
 * real symlinks instead. Real sysfs has symlinks, so build a mirror that does, from either form:
 * directories are recreated, data files linked to the originals, real symlinks copied as they
 * are (their target text, relative as in sysfs), and link files turned into real symlinks.
 */
export function withRealSymlinks(root: string): string {
  const known = materialized.get(root);
  if (known) return known;
  const mirror = makeTempDir("symlinked");
  mirrorDir(root, mirror);
  materialized.set(root, mirror);
  return mirror;
}

function mirrorDir(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    const st = lstatSync(src);
    if (st.isDirectory()) {
      mirrorDir(src, dst);
    } else if (st.isSymbolicLink()) {
      // The link itself, not what it points at (reading through it would copy a file's content
      // as a path, or fail on a directory).
      symlinkSync(readlinkSync(src), dst);
    } else {
      const target = linkTarget(src, st.size);
      symlinkSync(target ?? src, dst);
    }
  }
}

/** A link file holds one relative path and no newline; data files end with one (or are not paths). */
function linkTarget(file: string, size: number): string | null {
  if (size === 0 || size > 255) return null;
  const content = readFileSync(file, "utf8");
  if (content.includes("\n")) return null;
  if (content.startsWith("../") || existsSync(join(dirname(file), content))) return content;
  return null;
}
