// `hwm notify test NAME` as a process against a real webhook server on loopback: the message
// arrives and it exits 0; an unknown name exits 2 with the configured names; a failing target
// exits 1 with the reason.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { target } from "../helpers/alerts.ts";
import { runHwm } from "../helpers/process.ts";

const dir = mkdtempSync(join(tmpdir(), "hwm-notify-"));
const ok = target();
const failing = target(() => new Response("upstream exploded", { status: 503 }));
afterAll(() => {
  ok.stop();
  failing.stop();
  rmSync(dir, { recursive: true, force: true });
});

const config = join(dir, "hwm.toml");
writeFileSync(
  config,
  `
[[notifiers]]
name = "hook"
type = "webhook"
url = "${ok.url}/hook"
token = "hook-token-123"

[[notifiers]]
name = "phone"
type = "ntfy"
url = "${failing.url}/secret-topic"
`,
);

describe("hwm notify test", () => {
  test("sends one test message and says so", async () => {
    const r = await runHwm(["notify", "test", "hook", "--config", config]);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("sent to hook (webhook): HTTP 200");
    expect(r.code).toBe(0);
    expect(ok.received).toHaveLength(1);
    const [request] = ok.received;
    expect(request?.path).toBe("/hook");
    expect(request?.headers.authorization).toBe("Bearer hook-token-123");
    const body = JSON.parse(request?.body ?? "");
    expect(body).toMatchObject({ version: 1, kind: "test", value: null, key: null });
    expect(body.message).toContain('notifier "hook" works');
  });

  test("finds the config through HWM_CONFIG too", async () => {
    const r = await runHwm(["notify", "test", "hook"], { HWM_CONFIG: config });
    expect(r.code).toBe(0);
    expect(ok.received).toHaveLength(2);
  });

  test("an unknown name exits 2 and lists the configured ones", async () => {
    const r = await runHwm(["notify", "test", "pager", "--config", config]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'hwm: no notifier "pager"; configured: hook (webhook), phone (ntfy)',
    );
  });

  test("a failing target exits 1 with the reason, without its URL", async () => {
    const r = await runHwm(["notify", "test", "phone", "--config", config]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "hwm: could not send to phone (ntfy): HTTP 503: upstream exploded",
    );
    expect(failing.received).toHaveLength(1);
  });

  test("usage errors exit 2", async () => {
    const missing = await runHwm(["notify", "test", "--config", config]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("NAME");
    const typo = await runHwm(["notify", "test", "hook", "--confg", config]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("did you mean --config?");
    const none = await runHwm(["notify", "test", "hook"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no [[notifiers]]");
  });
});
