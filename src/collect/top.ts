// Which processes a snapshot lists: the top N by CPU and the top N by resident memory, so that a
// table sorted either way shows the real leaders (an idle process holding the most memory too).

export interface Ranking<T> {
  cpu: (item: T) => number;
  memory: (item: T) => number;
  pid: (item: T) => number;
}

/** At most 2N items, highest CPU first; ties by memory, then by pid for a stable order. */
export function topByCpuAndMemory<T>(items: T[], n: number, rank: Ranking<T>): T[] {
  const byCpu = (a: T, b: T) =>
    rank.cpu(b) - rank.cpu(a) || rank.memory(b) - rank.memory(a) || rank.pid(a) - rank.pid(b);
  const byMemory = (a: T, b: T) =>
    rank.memory(b) - rank.memory(a) || rank.cpu(b) - rank.cpu(a) || rank.pid(a) - rank.pid(b);
  const picked = new Set(items.sort(byMemory).slice(0, n));
  for (const item of items.sort(byCpu).slice(0, n)) picked.add(item);
  return [...picked].sort(byCpu);
}
