// Seeded random walks for the fleet simulator: a small seedable generator and the helpers that
// make simulated numbers wander within plausible bounds, so two runs serve the same fleet.

export type Rng = () => number;

/** mulberry32: small, fast, seedable; good enough to make numbers wander. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
export const round2 = (x: number) => Math.round(x * 100) / 100;
export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

/** One step of a bounded random walk pulled back toward `mean`, so values wander but stay plausible. */
export function walk(
  rng: Rng,
  value: number,
  step: number,
  mean: number,
  lo: number,
  hi: number,
): number {
  return clamp(value + (rng() * 2 - 1) * step + (mean - value) * 0.05, lo, hi);
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

export const intBetween = (rng: Rng, lo: number, hi: number) =>
  lo + Math.floor(rng() * (hi - lo + 1));
