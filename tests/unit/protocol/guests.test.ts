// The guests and containers sections on the wire: what a receiver accepts from a sender.
import { describe, expect, test } from "bun:test";
import { decode, PROTOCOL_CAPS, SnapshotSchema } from "../../../src/protocol/index.ts";

const guest = {
  id: 100,
  kind: "vm",
  name: "web",
  status: "running",
  cpu_pct: 250,
  cores: 4,
  mem_used_bytes: 1,
  mem_limit_bytes: null,
  disk_read_bps: 0,
  disk_write_bps: null,
  net_rx_bps: 0,
  net_tx_bps: 0,
  uptime_s: 5,
};
const snapshot = (extra: object) => ({ v: 1, host: "pve", ts_ms: 1, uptime_s: 1, ...extra });

describe("guests and containers on the wire", () => {
  test("a guest busy on more than one core is valid; a negative or unknown status is not", () => {
    expect(decode(SnapshotSchema, snapshot({ guests: [guest] })).ok).toBe(true);
    const negative = decode(SnapshotSchema, snapshot({ guests: [{ ...guest, cpu_pct: -1 }] }));
    expect(negative.ok ? "" : negative.error).toContain("guests.0.cpu_pct");
    const status = decode(SnapshotSchema, snapshot({ guests: [{ ...guest, status: "zombie" }] }));
    expect(status.ok).toBe(false);
  });

  test(`at most ${PROTOCOL_CAPS.guests} guests: a longer list is refused before its items are checked`, () => {
    const many = Array.from({ length: PROTOCOL_CAPS.guests + 1 }, () => guest);
    const result = decode(SnapshotSchema, snapshot({ guests: many }));
    expect(result.ok ? "" : result.error).toContain(`at most ${PROTOCOL_CAPS.guests} items`);
  });

  test("a container needs a runtime hwm knows and takes a null name and image", () => {
    const { kind: _, ...usage } = guest;
    const container = { ...usage, id: "a".repeat(64), runtime: "docker", name: null, image: null };
    expect(decode(SnapshotSchema, snapshot({ containers: [container] })).ok).toBe(true);
    const lxd = decode(
      SnapshotSchema,
      snapshot({ containers: [{ ...container, runtime: "lxd" }] }),
    );
    expect(lxd.ok).toBe(false);
  });
});
