// The bytes of one stored point: a host's values at one time in the order of its layout (raw),
// or per metric the mean, maximum and number of raw points behind them (rollups).
//
// Float32, little-endian. Float32 keeps about 7 significant digits: a 1 TiB disk to within
// 64 KiB, a percentage to 1e-5, far finer than a chart or an alert threshold can show, and half
// the size of Float64 (the rollup tiers are most of the file: ~570 instead of ~1130 bytes per
// row for 70 metrics). Integers up to 2^24 are exact, which bounds the counts (16.7 million raw
// points per step: 19 days of 100 ms samples).
//
//   raw:     value[n]
//   rollup:  count, mean[n], max[n]              when every metric has the same count
//            -1, count[n], mean[n], max[n]       when metrics came or went within the step

const F32 = 4;

// Bun runs on little-endian machines only (x64, arm64): a Float32Array over the bytes reads and
// writes them as stored, without a DataView per point.

/** A raw point: n values in the layout's order. */
export function encodeRaw(values: Iterable<number>, n: number): Uint8Array {
  const floats = new Float32Array(n);
  let i = 0;
  for (const value of values) {
    if (i >= n) break;
    floats[i++] = value;
  }
  return new Uint8Array(floats.buffer);
}

/** A stored point read back: the value (or mean), maximum and count of metric i of n. */
export interface PointView {
  /** False when the bytes do not fit the layout (a damaged row): skip the row. */
  readonly valid: boolean;
  count(i: number): number;
  mean(i: number): number;
  max(i: number): number;
}

/**
 * Reads points through one shared buffer: a query reads ~150 000 of them, and a typed-array view
 * or a DataView of each blob costs more than the copy (Bun makes the blob's ArrayBuffer on first
 * use). So a view is good until the next point is read.
 */
class SharedReader implements PointView {
  #bytes = new Uint8Array(4096);
  #floats = new Float32Array(this.#bytes.buffer);
  valid = false;
  /** The shared count, or -1 when each metric has its own (at float 1 + i). */
  #count = 1;
  #means = 0;
  #maxes = 0;

  load(data: Uint8Array, n: number, raw: boolean): this {
    const floats = data.byteLength / F32;
    if (data.byteLength > this.#bytes.byteLength) {
      this.#bytes = new Uint8Array(2 ** Math.ceil(Math.log2(data.byteLength)));
      this.#floats = new Float32Array(this.#bytes.buffer);
    }
    this.#bytes.set(data);
    if (raw) {
      this.#count = 1;
      this.#means = 0;
      this.#maxes = 0;
      this.valid = floats === n;
      return this;
    }
    this.#count = floats >= 1 ? (this.#floats[0] ?? 0) : 0;
    const perMetric = this.#count === -1;
    this.#means = perMetric ? 1 + n : 1;
    this.#maxes = this.#means + n;
    this.valid = floats === 1 + (perMetric ? 3 : 2) * n && (perMetric || this.#count > 0);
    return this;
  }

  count(i: number): number {
    return this.#count === -1 ? (this.#floats[1 + i] ?? 0) : this.#count;
  }
  mean(i: number): number {
    return this.#floats[this.#means + i] ?? Number.NaN;
  }
  max(i: number): number {
    return this.#floats[this.#maxes + i] ?? Number.NaN;
  }
}

const reader = new SharedReader();

/**
 * Reads a stored point of a layout of n metrics; `raw` says which tier it came from. The view is
 * valid until the next call.
 */
export function viewPoint(data: Uint8Array, n: number, raw: boolean): PointView {
  return reader.load(data, n, raw);
}

/**
 * Means, maxima and counts of one host's metrics over one step, fed with stored points (raw or
 * rollup: a rollup's mean weighs as many raw points as it stands for). The metrics keep the
 * order they first appeared in, so a step with the same metrics as the last keeps its layout.
 */
export class StepAggregate {
  readonly names: string[] = [];
  readonly #slot = new Map<string, number>();
  // Typed arrays, grown as metrics appear: catching up reads ~10 000 points of ~70 metrics.
  #sum = new Float64Array(128);
  #count = new Float64Array(128);
  #max = new Float64Array(128).fill(Number.NEGATIVE_INFINITY);
  /** Per layout seen, the slot of each of its metrics: most points share a layout. */
  readonly #slotsByLayout = new Map<readonly string[], Int32Array>();

  get empty(): boolean {
    return this.names.length === 0;
  }

  add(names: readonly string[], point: PointView): void {
    const slots = this.#slotsOf(names);
    const sum = this.#sum;
    const counts = this.#count;
    const maxes = this.#max;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as number;
      const count = point.count(i);
      const mean = point.mean(i);
      const max = point.max(i);
      if (!(count > 0) || !Number.isFinite(mean) || !Number.isFinite(max)) continue;
      sum[slot] = (sum[slot] as number) + mean * count;
      counts[slot] = (counts[slot] as number) + count;
      if (max > (maxes[slot] as number)) maxes[slot] = max;
    }
  }

  #slotsOf(names: readonly string[]): Int32Array {
    let slots = this.#slotsByLayout.get(names);
    if (slots) return slots;
    slots = new Int32Array(names.length);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] ?? "";
      let slot = this.#slot.get(name);
      if (slot === undefined) {
        slot = this.names.length;
        this.names.push(name);
        this.#slot.set(name, slot);
        if (slot >= this.#sum.length) this.#grow();
      }
      slots[i] = slot;
    }
    this.#slotsByLayout.set(names, slots);
    return slots;
  }

  #grow(): void {
    const size = this.#sum.length * 2;
    const grown = (from: Float64Array, fill: number) => {
      const to = new Float64Array(size).fill(fill);
      to.set(from);
      return to;
    };
    this.#sum = grown(this.#sum, 0);
    this.#count = grown(this.#count, 0);
    this.#max = grown(this.#max, Number.NEGATIVE_INFINITY);
  }

  /**
   * The rollup point. Metrics whose every value was skipped (not finite) have no count: they are
   * left out, so the names returned are the layout of the bytes.
   */
  encode(): { names: string[]; data: Uint8Array } {
    const kept: number[] = [];
    for (let slot = 0; slot < this.names.length; slot++) {
      if ((this.#count[slot] ?? 0) > 0) kept.push(slot);
    }
    const n = kept.length;
    const first = this.#count[kept[0] ?? 0] ?? 0;
    const uniform = kept.every((slot) => this.#count[slot] === first);
    const floats = new Float32Array(1 + (uniform ? 2 : 3) * n);
    floats[0] = uniform ? first : -1;
    let offset = 1;
    const put = (value: number) => {
      floats[offset++] = value;
    };
    if (!uniform) for (const slot of kept) put(this.#count[slot] ?? 0);
    for (const slot of kept) put((this.#sum[slot] ?? 0) / (this.#count[slot] ?? 1));
    for (const slot of kept) put(this.#max[slot] ?? 0);
    return {
      names: kept.map((slot) => this.names[slot] ?? ""),
      data: new Uint8Array(floats.buffer),
    };
  }
}
