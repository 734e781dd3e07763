// The receiver's text boundary: what a host sends (and what its failures quote) reaches the fleet,
// and so the page, the terminal dashboard and the log, without control or bidi characters.
import { describe, expect, test } from "bun:test";
import type { Collector } from "../../../src/collect/index.ts";
import { silentLogger } from "../../../src/log.ts";
import type { HostInfo, Snapshot } from "../../../src/protocol/index.ts";
import { LinkError } from "../../../src/receiver/link.ts";
import { Receiver } from "../../../src/receiver/receiver.ts";
import { safeLink } from "../../../src/receiver/safe-link.ts";
import { INFO } from "../../helpers/app.ts";

const info: HostInfo = { ...INFO, os: "Debian\u202e 21 naibeD", cpu_model: "Xeon\u001b[2J" };
const snapshot: Snapshot = {
  v: 1,
  host: "pve-web",
  ts_ms: 1,
  uptime_s: 1,
  disks: [
    {
      mount: "/mnt/\u2067data\u2069\n",
      fs: "ext4",
      device: "/dev/sda1",
      total_bytes: 1,
      used_bytes: 0,
      available_bytes: 1,
    },
  ],
  sensors: [
    {
      label: "\u001b]0;pwned\u0007",
      chip: "x",
      celsius: 40,
      max_celsius: null,
      crit_celsius: null,
    },
  ],
};

describe("the receiver's text boundary", () => {
  test("every string a host sends is made safe before the fleet keeps it", async () => {
    const hostile = {
      info: async () => structuredClone(info),
      snapshot: async () => ({ ...structuredClone(snapshot), ts_ms: Date.now() }),
    } as unknown as Collector;
    const receiver = new Receiver({
      intervalMs: 1000,
      token: null,
      senders: [],
      local: { id: "pve-web", collector: hostile },
      log: silentLogger,
    });
    try {
      const [host] = await receiver.hosts();
      expect(host?.status).toBe("online");
      expect(host?.info?.os).toBe("Debian 21 naibeD");
      expect(host?.info?.cpu_model).toBe("Xeon?[2J");
      expect(host?.snapshot?.disks?.[0]?.mount).toBe("/mnt/data?");
      expect(host?.snapshot?.sensors?.[0]?.label).toBe("?]0;pwned?");
    } finally {
      receiver.stop();
    }
  });

  test("a failure's message too, keeping its kind", async () => {
    const link = safeLink({
      snapshot: () => Promise.reject(new LinkError("incompatible", "unexpected \u202epayload\n")),
      info: () => Promise.reject(new Error("boom\u001b[2J")),
      close() {},
    });
    const failed = await link.snapshot([], 100).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(LinkError);
    expect((failed as LinkError).kind).toBe("incompatible");
    expect((failed as LinkError).message).toBe("unexpected payload?");
    expect(await link.info(100).catch((e: Error) => e.message)).toBe("boom?[2J");
  });
});
