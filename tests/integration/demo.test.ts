// `hwm demo`: a receiver with a dozen simulated hosts on loopback, each showing what it is for
// (a Proxmox host with guests, busy, hot, full, a GPU, offline, unauthorized, a failing disk, a
// failed unit), served without a login, on loopback only.
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
    health?: {
      disks: { device: string; ok: boolean | null }[];
      failed_units: { name: string }[];
    } | null;
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
    expect(fleet.size).toBe(13);
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
    expect(online).toHaveLength(11);
    const failing = fleet.get("backup")?.snapshot?.health?.disks.find((d) => d.ok === false);
    expect(failing?.device).toBe("/dev/sda");
    expect(fleet.get("monitoring")?.snapshot?.health?.failed_units).toEqual([
      expect.objectContaining({ name: "certbot.service" }),
    ]);
  }, 30_000);

  test("the Proxmox host's guests and containers come to whoever watches it", async () => {
    const ws = new WebSocket(`${demo.url.replace(/^http/, "ws")}/api/v1/live`);
    try {
      const detail = await new Promise<{
        guests: { name: string; status: string; cpu_pct: number | null }[];
        containers: { name: string }[];
      }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no guests within 10 s")), 10_000);
        ws.onopen = () => ws.send(JSON.stringify({ type: "watch", host: "pve" }));
        ws.onerror = () => reject(new Error("the live socket failed"));
        ws.onmessage = (e) => {
          const m = JSON.parse(String(e.data));
          if (
            m.type !== "host" ||
            !m.snapshot.guests?.some((g: { cpu_pct: unknown }) => g.cpu_pct !== null)
          )
            return;
          clearTimeout(timer);
          resolve(m.snapshot);
        };
      });
      expect(detail.guests.map((g) => g.name)).toEqual(
        expect.arrayContaining(["db", "git", "dns", "monitoring", "ci-runner", "win11"]),
      );
      expect(detail.guests.find((g) => g.name === "win11")?.status).toBe("stopped");
      expect(detail.guests.find((g) => g.name === "ci-runner")?.cpu_pct).toBeGreaterThan(80);
      expect(detail.containers.length).toBe(4);
    } finally {
      ws.close();
    }
  }, 20_000);

  test("it listens on loopback only", async () => {
    const run = await runHwm(["demo", "--no-tui", "--listen", "0.0.0.0:0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("loopback only");
  });
});
