// The CPU of each guest and container of the watched host over the last minutes of this session,
// for the sparklines of the guests and containers tables: one short ring per guest, filled from
// the host messages a watch brings, forgotten with the guest or when another host is watched.
import type { Container, Guest, Snapshot } from "../protocol/index.ts";
import { SPARK_POINTS } from "./host-trends.ts";

/** A guest and a container never share a key: a VMID is a number, a container id is hex. */
export const guestKey = (g: Guest) => `guest/${g.id}`;
export const containerKey = (c: Container) => `container/${c.id}`;

/** The last SPARK_POINTS values, oldest first when read. */
class Ring {
  private readonly values = new Float32Array(SPARK_POINTS);
  private start = 0;
  private count = 0;

  push(value: number): void {
    this.values[(this.start + this.count) % SPARK_POINTS] = value;
    if (this.count < SPARK_POINTS) this.count++;
    else this.start = (this.start + 1) % SPARK_POINTS;
  }

  read(): Float32Array {
    const out = new Float32Array(this.count);
    for (let i = 0; i < this.count; i++)
      out[i] = this.values[(this.start + i) % SPARK_POINTS] ?? Number.NaN;
    return out;
  }
}

export class GuestHistory {
  private hostId: string | null = null;
  private lastTsMs = -1;
  private readonly rings = new Map<string, Ring>();
  /** Bumped on every change, so a view knows when to draw again. */
  version = 0;

  /** A snapshot of the watched host; one that brings no guests or containers leaves all as is. */
  record(hostId: string, snapshot: Snapshot): void {
    const { guests, containers } = snapshot;
    if (!guests && !containers) return;
    if (hostId !== this.hostId) {
      this.hostId = hostId;
      this.rings.clear();
      this.lastTsMs = -1;
    }
    if (snapshot.ts_ms <= this.lastTsMs) return;
    this.lastTsMs = snapshot.ts_ms;
    const seen = new Set<string>();
    const add = (key: string, cpuPct: number | null) => {
      seen.add(key);
      let ring = this.rings.get(key);
      if (!ring) {
        ring = new Ring();
        this.rings.set(key, ring);
      }
      // null (stopped, or the first reading after a start) breaks the line.
      ring.push(cpuPct ?? Number.NaN);
    };
    for (const g of guests ?? []) add(guestKey(g), g.cpu_pct);
    for (const c of containers ?? []) add(containerKey(c), c.cpu_pct);
    for (const key of this.rings.keys()) if (!seen.has(key)) this.rings.delete(key);
    this.version++;
  }

  /** CPU in percent of one core, oldest first, NaN where there was none; empty when unknown. */
  cpu(hostId: string, key: string): Float32Array {
    if (hostId !== this.hostId) return new Float32Array(0);
    return this.rings.get(key)?.read() ?? new Float32Array(0);
  }
}

/**
 * The fleet's host a guest is, when it runs a sender of its own: the host whose id or hostname
 * is the guest's name (case aside), so that its row can link to its page.
 */
export function hostOfGuest(
  name: string | null,
  hosts: readonly { id: string; info: { hostname: string } | null }[],
): string | null {
  if (name === null) return null;
  const wanted = name.toLowerCase();
  const host =
    hosts.find((h) => h.id.toLowerCase() === wanted) ??
    hosts.find((h) => h.info?.hostname.toLowerCase() === wanted);
  return host?.id ?? null;
}
