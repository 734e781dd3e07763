// Host status transitions and last-known values in the fleet store.
import { describe, expect, test } from "bun:test";
import { LinkError } from "../../../src/peer/link-error.ts";
import type { Snapshot } from "../../../src/protocol/index.ts";
import { Fleet } from "../../../src/receiver/fleet.ts";

const snap = (extra: Partial<Snapshot> = {}): Snapshot => ({
  v: 1,
  host: "h",
  ts_ms: 1,
  uptime_s: 1,
  ...extra,
});

describe("Fleet", () => {
  test("offline until the first answer; online; stale after one miss; offline after two; back online", () => {
    const changes: string[] = [];
    const fleet = new Fleet((id, from, to) => changes.push(`${id}:${from}>${to}`));
    fleet.sync([{ id: "a", url: "http://a" }]);
    expect(fleet.view()[0]?.status).toBe("offline");
    fleet.succeeded("a", snap(), false, 1000);
    expect(fleet.view()[0]?.status).toBe("online");
    fleet.failed("a", new LinkError("timeout", "no answer within 800 ms"));
    expect(fleet.view()[0]?.status).toBe("stale");
    fleet.failed("a", new LinkError("offline", "unreachable"));
    const gone = fleet.view()[0];
    expect(gone?.status).toBe("offline");
    expect(gone?.last_seen_ms).toBe(1000);
    expect(gone?.snapshot).not.toBeNull();
    expect(gone?.last_error).toBe("unreachable");
    fleet.succeeded("a", snap(), false, 2000);
    expect(changes).toEqual([
      "a:offline>online",
      "a:online>stale",
      "a:stale>offline",
      "a:offline>online",
    ]);
  });

  test("a host that never answered goes straight to offline, not stale", () => {
    const fleet = new Fleet();
    fleet.sync([{ id: "a", url: "http://a" }]);
    fleet.failed("a", new LinkError("timeout", "t"));
    expect(fleet.view()[0]?.status).toBe("offline");
  });

  test("unauthorized and incompatible are their own statuses", () => {
    const fleet = new Fleet();
    fleet.sync([
      { id: "a", url: "http://a" },
      { id: "b", url: "http://b" },
    ]);
    fleet.failed("a", new LinkError("unauthorized", "401"));
    fleet.failed("b", new LinkError("incompatible", "bad payload"));
    expect(fleet.view().map((h) => h.status)).toEqual(["unauthorized", "incompatible"]);
  });

  test("heavy sections are kept apart from the fleet view", () => {
    const fleet = new Fleet();
    fleet.sync([{ id: "a", url: "http://a" }]);
    fleet.succeeded("a", snap({ processes: { count: 3, running: 1, top: [] } }), true);
    expect(fleet.view()[0]?.snapshot?.processes).toBeUndefined();
    expect(fleet.detail("a")?.processes?.count).toBe(3);
  });

  test("guests and containers, and their errors, go to watchers only", () => {
    const fleet = new Fleet();
    fleet.sync([{ id: "a", url: "http://a" }]);
    const guest = {
      id: 100,
      kind: "vm" as const,
      name: "web",
      status: "stopped" as const,
      cpu_pct: null,
      cores: 2,
      mem_used_bytes: null,
      mem_limit_bytes: 4_294_967_296,
      disk_read_bps: null,
      disk_write_bps: null,
      net_rx_bps: null,
      net_tx_bps: null,
      uptime_s: null,
    };
    fleet.succeeded(
      "a",
      snap({
        cpu: null,
        guests: [guest],
        containers: null,
        errors: { cpu: "cpu timed out", containers: "container API at /run/docker.sock hung" },
      }),
      true,
    );
    const light = fleet.view()[0]?.snapshot;
    expect(light?.guests).toBeUndefined();
    expect(light && "containers" in light).toBe(false);
    expect(light?.errors).toEqual({ cpu: "cpu timed out" });
    expect(fleet.detail("a")?.guests).toEqual([guest]);
    expect(fleet.detail("a")?.errors?.containers).toContain("docker.sock");
  });

  test("sync adds, removes, and resets a host whose URL changed", () => {
    const fleet = new Fleet();
    fleet.sync([
      { id: "a", url: "http://a" },
      { id: "b", url: "http://b" },
    ]);
    fleet.succeeded("a", snap(), false);
    fleet.succeeded("b", snap(), false);
    fleet.sync([
      { id: "a", url: "http://a" },
      { id: "b", url: "http://b2" },
      { id: "c", url: "http://c" },
    ]);
    expect(fleet.view().map((h) => `${h.id}:${h.status}`)).toEqual([
      "a:online",
      "b:offline",
      "c:offline",
    ]);
    fleet.sync([{ id: "c", url: "http://c" }]);
    expect(fleet.ids()).toEqual(["c"]);
  });
});

test("a request we cancelled ourselves (polling stopped) changes nothing", () => {
  const fleet = new Fleet();
  fleet.sync([{ id: "a", url: "http://a" }]);
  fleet.succeeded("a", snap(), false);
  fleet.failed("a", new LinkError("cancelled", "connection closed by the receiver"));
  expect(fleet.view()[0]?.status).toBe("online");
  expect(fleet.view()[0]?.last_error).toBeNull();
});
