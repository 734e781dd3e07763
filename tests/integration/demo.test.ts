// `hwm demo`: a receiver with a dozen simulated hosts on loopback, each showing what it is for
// (busy, hot, full, a GPU, offline, unauthorized), served without a login, on loopback only.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type RunningProcess, runHwm, startHwm } from "../helpers/process.ts";

interface HostView {
  id: string;
  status: string;
  last_error: string | null;
  snapshot: {
    cpu?: { total_pct: number } | null;
    disks?: { mount: string; used_bytes: number; total_bytes: number }[] | null;
    sensors?: { celsius: number; max_celsius: number | null }[] | null;
    gpus?: unknown[] | null;
  } | null;
}

let demo: RunningProcess;

beforeAll(async () => {
  demo = await startHwm(["demo", "--no-tui", "--listen", "127.0.0.1:0"], {}, 15_000);
});
afterAll(async () => {
  await demo?.stop();
});

/** The fleet once every host has been asked at least once (bounded: 15 s). */
async function settledFleet(): Promise<Map<string, HostView>> {
  const deadline = Date.now() + 15_000;
  let hosts: HostView[] = [];
  while (Date.now() < deadline) {
    const res = await fetch(`${demo.url}/api/v1/hosts`);
    expect(res.status).toBe(200); // no login: the demo is loopback only
    hosts = ((await res.json()) as { hosts: HostView[] }).hosts;
    const settled = hosts.every((h) => h.status !== "offline" || h.last_error !== null);
    if (hosts.length > 0 && settled && hosts.some((h) => h.status === "online")) break;
    await Bun.sleep(200);
  }
  return new Map(hosts.map((h) => [h.id, h]));
}

describe("hwm demo", () => {
  test("a dozen hosts, one of each kind a dashboard must make stand out", async () => {
    const fleet = await settledFleet();
    expect(fleet.size).toBe(12);
    expect(demo.log()).toMatch(/web dashboard at http:\/\/127\.0\.0\.1:\d+\//);
    expect(fleet.get("pve-web")?.snapshot?.cpu?.total_pct).toBeGreaterThan(80);
    const root = fleet.get("nas")?.snapshot?.disks?.find((d) => d.mount === "/");
    expect((root?.used_bytes ?? 0) / (root?.total_bytes ?? 1)).toBeGreaterThan(0.95);
    const hot = fleet.get("media")?.snapshot?.sensors ?? [];
    expect(hot.some((s) => s.max_celsius !== null && s.celsius > s.max_celsius)).toBe(true);
    expect(fleet.get("gpu-box")?.snapshot?.gpus?.length).toBe(1);
    expect(fleet.get("old-laptop")).toMatchObject({ status: "offline" });
    expect(fleet.get("old-laptop")?.last_error).toContain("no answer");
    expect(fleet.get("guest-vm")).toMatchObject({ status: "unauthorized" });
    const online = [...fleet.values()].filter((h) => h.status === "online");
    expect(online).toHaveLength(10);
  }, 30_000);

  test("it listens on loopback only", async () => {
    const run = await runHwm(["demo", "--no-tui", "--listen", "0.0.0.0:0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("loopback only");
  });
});
