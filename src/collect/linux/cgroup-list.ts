// The guests' or containers' cgroups, listed again only when their parents' children may have
// changed: a directory's link count is 2 + its subdirectories on cgroupfs (kernfs), so one stat
// per parent tells whether a cgroup came or went, where listing means a readdir of every parent
// (a Proxmox host's system.slice holds a hundred services) and a name match per entry.
import type { Clock } from "../clock.ts";
import { CGROUP_LIST_MAX_AGE_MS, CGROUP_LIST_TTL_MS } from "../constants.ts";
import { type CgroupTree, dirOf, linkCount, type ParentLinks } from "./cgroup.ts";

/** Lists the cgroups of a tree; records in `links` each parent it looked at, as cgroupEntries does. */
export type CgroupFinder<T> = (tree: CgroupTree, links: ParentLinks) => T[];

export class CgroupList<T> {
  readonly #clock: Clock;
  readonly #find: CgroupFinder<T>;
  #last: { cgroups: T[]; links: ParentLinks; atMs: number } | undefined;

  constructor(clock: Clock, find: CgroupFinder<T>) {
    this.#clock = clock;
    this.#find = find;
  }

  /**
   * The cgroups, and whether they were listed just now. Listed again when `stale` (one of them
   * was gone at the last read), when a parent's link count moved, and in any case every
   * CGROUP_LIST_MAX_AGE_MS (a service of system.slice that stopped as a container started
   * leaves the count as it was). A filesystem that does not count subdirectories (btrfs,
   * overlayfs: 1) is listed every CGROUP_LIST_TTL_MS, as a fixture tree may be.
   */
  get(tree: CgroupTree, stale = false): { cgroups: T[]; listed: boolean } {
    const now = this.#clock.nowMs();
    const last = this.#last;
    if (last && !stale) {
      const age = now - last.atMs;
      if (age < CGROUP_LIST_TTL_MS) return { cgroups: last.cgroups, listed: false };
      if (age < CGROUP_LIST_MAX_AGE_MS && unchanged(tree, last.links)) {
        return { cgroups: last.cgroups, listed: false };
      }
    }
    const links: ParentLinks = new Map();
    const cgroups = this.#find(tree, links);
    this.#last = { cgroups, links, atMs: now };
    return { cgroups, listed: true };
  }

  /**
   * `read` of every cgroup (false: it was gone). When one was gone from a list not made just
   * now, the cgroups are listed again, for one that may have started in its place, and `read`
   * is called on every cgroup of the new list: it skips those it has read.
   */
  each(tree: CgroupTree, read: (cgroup: T) => boolean): void {
    const { cgroups, listed } = this.get(tree);
    let gone = false;
    for (const cgroup of cgroups) if (!read(cgroup)) gone = true;
    if (!gone || listed) return;
    for (const cgroup of this.get(tree, true).cgroups) read(cgroup);
  }
}

/** True when every parent has the link count it had at the listing, and the counts mean something. */
function unchanged(tree: CgroupTree, links: ParentLinks): boolean {
  for (const [rel, count] of links) {
    if (count === 1 || linkCount(dirOf(tree, "cpuacct", rel)) !== count) return false;
  }
  return true;
}
