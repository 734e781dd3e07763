// /proc/meminfo parsing: MemAvailable and its fallback, swap or none.
import { describe, expect, test } from "bun:test";
import { parseMeminfo } from "../../../src/collect/linux/memory.ts";
import { FIRECRACKER_VM, fixtureText, HANDMADE, NODE_EXPORTER } from "./fixtures.ts";

const KB = 1024;

describe("parseMeminfo", () => {
  test("node_exporter's meminfo has no MemAvailable: free + buffers + cached", () => {
    const mem = parseMeminfo(fixtureText(NODE_EXPORTER, "proc/meminfo"));
    const available = 225472 + 22040 + 930888;
    expect(mem).toEqual({
      total_bytes: 3742148 * KB,
      available_bytes: available * KB,
      used_bytes: (3742148 - available) * KB,
      cached_bytes: (930888 + 22040 + 44772) * KB,
      swap_total_bytes: 4194300 * KB,
      swap_used_bytes: (4194300 - 3155360) * KB,
    });
  });

  test("this VM: MemAvailable is used, and no swap gives 0 and 0", () => {
    const text = fixtureText(FIRECRACKER_VM, "proc/meminfo");
    const mem = parseMeminfo(text);
    const total = Number(/MemTotal:\s+(\d+)/.exec(text)?.[1]) * KB;
    const available = Number(/MemAvailable:\s+(\d+)/.exec(text)?.[1]) * KB;
    expect(mem.total_bytes).toBe(total);
    expect(mem.available_bytes).toBe(available);
    expect(mem.used_bytes).toBe(total - available);
    expect(mem.swap_total_bytes).toBe(0);
    expect(mem.swap_used_bytes).toBe(0);
  });

  test("an old kernel without swap lines", () => {
    const mem = parseMeminfo(fixtureText(HANDMADE, "old-kernel/proc/meminfo"));
    expect(mem.available_bytes).toBe((102400 + 51200 + 204800) * KB);
    expect(mem.swap_total_bytes).toBe(0);
  });

  test("no MemTotal is an error, not zeros", () => {
    expect(() => parseMeminfo("MemFree: 1 kB\n")).toThrow("MemTotal");
  });
});
