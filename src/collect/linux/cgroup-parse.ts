// Numbers from cgroup files, read from their bytes: a hypervisor's snapshot parses hundreds of
// them, and decoding each into a string first would cost more than reading it.

const SPACE = 32;
const TAB = 9;
const NEWLINE = 10;
const ZERO = 48;
const NINE = 57;

/** The unsigned decimal integer at bytes[i] (after blanks), or NaN when there is none. */
function uintIn(bytes: Buffer, i: number): number {
  let at = i;
  while (bytes[at] === SPACE || bytes[at] === TAB) at++;
  let value = Number.NaN;
  for (let c = bytes[at] ?? 0; c >= ZERO && c <= NINE; c = bytes[++at] ?? 0) {
    value = (Number.isNaN(value) ? 0 : value * 10) + (c - ZERO);
  }
  return value;
}

/** Exact in a double, or null: a value beyond 2^53 is no count we can trust (v1's 2^63 "unlimited"). */
function exact(value: number): number | null {
  return value <= Number.MAX_SAFE_INTEGER ? value : null;
}

/**
 * A file that holds one number ("42\n"): the number; null for anything else ("max", "-1",
 * "12abc", v1's 2^63 "unlimited"), or no file.
 */
export function wholeUint(bytes: Buffer | null): number | null {
  if (bytes === null) return null;
  const value = uintIn(bytes, 0);
  let end = 0;
  while (bytes[end] === SPACE || bytes[end] === TAB) end++;
  while ((bytes[end] ?? 0) >= ZERO && (bytes[end] ?? 0) <= NINE) end++;
  while (bytes[end] === SPACE || bytes[end] === TAB || bytes[end] === NEWLINE) end++;
  return end === bytes.length ? exact(value) : null;
}

/** A key of a flat keyed file, as it starts a line: "usage_usec" → "usage_usec ". */
export function key(name: string): Buffer {
  return Buffer.from(`${name} `);
}

/** The number after `key` at the start of a line (cpu.stat, memory.stat), or null. */
export function keyedValue(buffer: Buffer, name: Buffer): number | null {
  for (let at = buffer.indexOf(name); at >= 0; at = buffer.indexOf(name, at + 1)) {
    if (at === 0 || buffer[at - 1] === NEWLINE) return exact(uintIn(buffer, at + name.length));
  }
  return null;
}

/** The sum of the numbers after every `marker` (io.stat's " rbytes=", blkio's " Read "). */
export function sumAfter(buffer: Buffer, marker: Buffer): number {
  let sum = 0;
  for (let at = buffer.indexOf(marker); at >= 0; at = buffer.indexOf(marker, at + marker.length)) {
    const value = uintIn(buffer, at + marker.length);
    if (value <= Number.MAX_SAFE_INTEGER) sum += value;
  }
  return sum;
}

/** cpu.max: `$QUOTA $PERIOD` in µs, or `max $PERIOD`; the quota in cores, null when unlimited. */
export function parseCpuMax(text: string | null): number | null {
  if (text === null) return null;
  const [quota, period] = text.trim().split(" ").map(Number);
  return quota !== undefined && period !== undefined ? cores(quota, period) : null;
}

/** A CPU quota over its period, in cores to 3 decimals (150000 / 100000 → 1.5); null when none. */
export function cores(quotaUs: number, periodUs: number): number | null {
  return quotaUs > 0 && periodUs > 0 ? Math.round((quotaUs / periodUs) * 1000) / 1000 : null;
}

const COLON = 58;

/**
 * Each interface of a /proc/net/dev text, from its bytes: the name's byte range, the bytes
 * received (column 1) and sent (column 9). Two header lines first; a name may be glued to its
 * first counter ("eth0:123" on old kernels).
 */
export function forEachIface(
  bytes: Buffer,
  fn: (nameStart: number, nameEnd: number, rxBytes: number, txBytes: number) => void,
): void {
  let line = bytes.indexOf(NEWLINE, bytes.indexOf(NEWLINE) + 1) + 1;
  while (line > 0 && line < bytes.length) {
    const end = bytes.indexOf(NEWLINE, line);
    const stop = end < 0 ? bytes.length : end;
    const colon = bytes.indexOf(COLON, line);
    if (colon > 0 && colon < stop) {
      let nameStart = line;
      while (bytes[nameStart] === SPACE) nameStart++;
      let rx = Number.NaN;
      let tx = Number.NaN;
      let column = 0;
      let at = colon + 1;
      while (at < stop && column <= 8) {
        while (bytes[at] === SPACE || bytes[at] === TAB) at++;
        if (at >= stop) break;
        const value = uintIn(bytes, at);
        if (column === 0) rx = value;
        else if (column === 8) tx = value;
        while (at < stop && bytes[at] !== SPACE && bytes[at] !== TAB) at++;
        column++;
      }
      if (Number.isFinite(rx) && Number.isFinite(tx)) fn(nameStart, colon, rx, tx);
    }
    line = end < 0 ? -1 : end + 1;
  }
}
