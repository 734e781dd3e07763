// The alert state machine with explicit timestamps: when an alert fires, repeats, is silenced,
// resolves; reboots and offline hosts; "[*]" instances; reload and restart keeping state.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { type ActiveAlert, AlertEngine, sqliteAlertStore } from "../../../src/alerts/engine.ts";
import type { WebhookBody } from "../../../src/alerts/notifiers/webhook.ts";
import type { AlertStore } from "../../../src/alerts/store.ts";
import type { AlertConfig } from "../../../src/config/types.ts";
import { silentLogger } from "../../../src/log.ts";
import type { AlertEvent, HostState } from "../../../src/protocol/index.ts";
import { host, memoryLog, monday, notifier, rule } from "../../helpers/alerts.ts";

const T0 = monday(10);
const MIN = 60_000;

/** An engine whose one webhook notifier records what it would send (answered 200 at once). */
function engineWith(rules: AlertConfig[], store: AlertStore | null = null) {
  const sent: WebhookBody[] = [];
  const engine = new AlertEngine({
    rules: rules.map((r) => ({ ...r, notify: r.notify.length > 0 ? r.notify : ["hook"] })),
    notifiers: [notifier("webhook", "http://hook.test/x", "hook")],
    log: silentLogger,
    store,
    fetch: async (_url, init) => {
      sent.push(JSON.parse(String(init.body)) as WebhookBody);
      return new Response("ok");
    },
  });
  /** Evaluate, then let the queue hand over what it was given. */
  const at = async (nowMs: number, hosts: HostState[]) => {
    engine.evaluate(hosts, nowMs);
    for (let i = 0; i < 20; i++) await Bun.sleep(0);
  };
  return { engine, sent, at };
}

const kinds = (sent: WebhookBody[]) => sent.map((s) => `${s.kind} ${s.host}${s.key ? s.key : ""}`);

describe("threshold rules", () => {
  test("fire after `for` and not before, then resolve", async () => {
    const { engine, sent, at } = engineWith([rule("cpu.total_pct > 90", { for: 5 * MIN })]);
    await at(T0, [host("web", { cpuPct: 95 })]);
    let rule0 = engine.state(T0).rules[0];
    expect(rule0?.state).toBe("pending");
    expect(rule0?.instances[0]).toMatchObject({
      host: "web",
      key: null,
      state: "pending",
      since_ms: T0,
      value: 95,
    });
    await at(T0 + 5 * MIN - 1000, [host("web", { cpuPct: 96 })]);
    expect(engine.state(T0).rules[0]?.state).toBe("pending");
    expect(engine.firing("web")).toEqual([]);
    expect(sent).toEqual([]);

    await at(T0 + 5 * MIN, [host("web", { cpuPct: 97 })]);
    rule0 = engine.state(T0 + 5 * MIN).rules[0];
    expect(rule0?.state).toBe("firing");
    expect(rule0?.instances[0]).toMatchObject({
      state: "firing",
      since_ms: T0 + 5 * MIN,
      value: 97,
    });
    expect(engine.firing("web")).toEqual([
      {
        rule: "r",
        key: null,
        since_ms: T0 + 5 * MIN,
        message: "web: cpu.total_pct is 97.0 % (> 90) for 5 min",
      },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: "firing",
      rule: "r",
      host: "web",
      value: 97,
      threshold: 90,
      condition: "cpu.total_pct > 90",
      since_ms: T0 + 5 * MIN,
      ts_ms: T0 + 5 * MIN,
    });

    // Still firing: nothing new is said without `repeat`.
    await at(T0 + 60 * MIN, [host("web", { cpuPct: 99 })]);
    expect(sent).toHaveLength(1);

    await at(T0 + 61 * MIN, [host("web", { cpuPct: 50 })]);
    expect(engine.state(T0).rules[0]?.state).toBe("ok");
    expect(engine.state(T0).rules[0]?.instances).toEqual([]);
    expect(engine.firing("web")).toEqual([]);
    expect(kinds(sent)).toEqual(["firing web", "resolved web"]);
    expect(sent[1]?.message).toBe(
      "web: cpu.total_pct is 50.0 %, no longer > 90 (was firing for 56 min)",
    );
    const events = engine.state(T0).events;
    expect(events.map((e) => e.kind)).toEqual(["resolved", "firing"]);
    expect(events[0]).toMatchObject({ ts_ms: T0 + 61 * MIN, host: "web", value: 50 });
  });

  test("`for` 0 fires at once", async () => {
    const { engine, sent, at } = engineWith([rule("sensors.max_celsius > 80")]);
    await at(T0, [host("web", { maxCelsius: 84.5 })]);
    expect(engine.state(T0).rules[0]?.state).toBe("firing");
    expect(sent[0]?.message).toBe("web: sensors.max_celsius is 84.5 °C (> 80)");
  });

  test("pending that stops holding goes back to ok silently", async () => {
    const { engine, sent, at } = engineWith([rule("cpu.total_pct > 90", { for: 5 * MIN })]);
    await at(T0, [host("web", { cpuPct: 95 })]);
    await at(T0 + MIN, [host("web", { cpuPct: 10 })]);
    expect(engine.state(T0).rules[0]?.state).toBe("ok");
    expect(engine.state(T0).events).toEqual([]);
    // And a new episode counts its duration from scratch.
    await at(T0 + 2 * MIN, [host("web", { cpuPct: 95 })]);
    await at(T0 + 6 * MIN, [host("web", { cpuPct: 95 })]);
    expect(engine.state(T0).rules[0]?.state).toBe("pending");
    expect(sent).toEqual([]);
  });

  test("repeat notifies again at its pace while firing", async () => {
    const { sent, at } = engineWith([rule("cpu.total_pct > 90", { repeat: 10 * MIN })]);
    await at(T0, [host("web", { cpuPct: 95 })]);
    await at(T0 + 9 * MIN, [host("web", { cpuPct: 95 })]);
    expect(sent).toHaveLength(1);
    await at(T0 + 10 * MIN, [host("web", { cpuPct: 95 })]);
    await at(T0 + 15 * MIN, [host("web", { cpuPct: 95 })]);
    await at(T0 + 20 * MIN, [host("web", { cpuPct: 95 })]);
    expect(kinds(sent)).toEqual(["firing web", "firing web", "firing web"]);
    expect(sent.map((s) => s.ts_ms)).toEqual([T0, T0 + 10 * MIN, T0 + 20 * MIN]);
    // A repeat still says when it fired.
    expect(sent[2]?.since_ms).toBe(T0);
  });

  test("a host that is not online keeps its threshold alerts as they are", async () => {
    const { engine, sent, at } = engineWith([rule("cpu.total_pct > 90", { for: MIN })]);
    await at(T0, [host("web", { cpuPct: 95 })]);
    await at(T0 + MIN, [host("web", { cpuPct: 95 })]);
    expect(engine.state(T0).rules[0]?.state).toBe("firing");
    for (const status of ["stale", "offline", "unauthorized"] as const) {
      // The last snapshot is still there (and below the limit): it is not fresh, so it says nothing.
      await at(T0 + 2 * MIN, [host("web", { status, cpuPct: 10 })]);
      expect(engine.state(T0).rules[0]?.state).toBe("firing");
    }
    expect(kinds(sent)).toEqual(["firing web"]);
    // A pending one does not advance without data either.
    const p = engineWith([rule("cpu.total_pct > 90", { for: 5 * MIN })]);
    await p.at(T0, [host("web", { cpuPct: 95 })]);
    await p.at(T0 + 10 * MIN, [host("web", { status: "stale", cpuPct: 95 })]);
    expect(p.engine.state(T0).rules[0]?.state).toBe("pending");
  });

  test("units: bytes in binary units, the threshold readable", async () => {
    const { sent, at } = engineWith([rule("memory.used_bytes > 17179869184")]);
    await at(T0, [host("web", { memoryUsedBytes: 20 * 1024 ** 3 })]);
    expect(sent[0]?.message).toBe("web: memory.used_bytes is 20.0 GiB (> 16.0 GiB)");
  });
});

describe("hosts", () => {
  test("a rule watches the hosts its patterns match", async () => {
    const { engine, at } = engineWith([rule("cpu.total_pct > 90", { hosts: ["pve-*", "nas"] })]);
    await at(
      T0,
      ["pve-web", "pve-db", "nas", "nas2", "web-pve", "pve"].map((id) => host(id, { cpuPct: 95 })),
    );
    expect(engine.state(T0).rules[0]?.instances.map((i) => i.host)).toEqual([
      "nas",
      "pve-db",
      "pve-web",
    ]);
  });

  test("a host that leaves the fleet ends its alerts", async () => {
    const { engine, sent, at } = engineWith([rule("cpu.total_pct > 90")]);
    await at(T0, [host("web", { cpuPct: 95 }), host("db", { cpuPct: 95 })]);
    await at(T0 + MIN, [host("db", { cpuPct: 95 })]);
    expect(engine.state(T0).rules[0]?.instances.map((i) => i.host)).toEqual(["db"]);
    expect(sent.at(-1)).toMatchObject({ kind: "resolved", host: "web" });
    expect(sent.at(-1)?.message).toContain("no longer watches this host");
  });
});

describe("[*] rules", () => {
  test("each key is its own alert; a key that disappears resolves", async () => {
    const { engine, sent, at } = engineWith([rule("disks[*].used_pct >= 90")]);
    await at(T0, [host("web", { disks: { "/": 40, "/var": 93.2, "/srv": 95 } })]);
    const instances = engine.state(T0).rules[0]?.instances ?? [];
    expect(instances.map((i) => i.key)).toEqual(["/srv", "/var"]);
    expect(instances[1]?.message).toBe("web: disks[/var].used_pct is 93.2 % (>= 90)");
    expect(
      engine
        .firing("web")
        .map((f) => f.key)
        .sort(),
    ).toEqual(["/srv", "/var"]);
    expect(kinds(sent).sort()).toEqual(["firing web/srv", "firing web/var"]);

    // /srv unmounted, /var cleaned up, / filled.
    await at(T0 + 5 * MIN, [host("web", { disks: { "/": 91, "/var": 50 } })]);
    expect(engine.state(T0).rules[0]?.instances.map((i) => i.key)).toEqual(["/"]);
    const resolved = sent.filter((s) => s.kind === "resolved");
    expect(resolved.map((s) => s.message).sort()).toEqual([
      "web: disks[/srv].used_pct is no longer reported (was firing for 5 min)",
      "web: disks[/var].used_pct is 50.0 %, no longer >= 90 (was firing for 5 min)",
    ]);
    expect(sent.at(-1)).toMatchObject({ kind: "firing", key: "/" });
  });
});

describe("silence windows", () => {
  const silenced = () =>
    engineWith([rule("cpu.total_pct > 90", { silence: ["02:00-04:00"], repeat: 30 * MIN })]);

  test("no notification inside the window; one still firing is notified when it ends", async () => {
    const { engine, sent, at } = silenced();
    await at(monday(2, 30), [host("web", { cpuPct: 95 })]);
    expect(engine.state(monday(2, 30)).rules[0]?.instances[0]).toMatchObject({
      state: "firing",
      silenced: true,
    });
    expect(engine.state(0).events).toHaveLength(1);
    await at(monday(3, 59), [host("web", { cpuPct: 95 })]);
    expect(sent).toEqual([]);
    await at(monday(4, 0), [host("web", { cpuPct: 95 })]);
    expect(engine.state(0).rules[0]?.instances[0]?.silenced).toBe(false);
    expect(kinds(sent)).toEqual(["firing web"]);
    expect(sent[0]?.since_ms).toBe(monday(2, 30));
  });

  test("fired and resolved inside the window: never notified", async () => {
    const { engine, sent, at } = silenced();
    await at(monday(2, 30), [host("web", { cpuPct: 95 })]);
    await at(monday(3, 0), [host("web", { cpuPct: 10 })]);
    await at(monday(4, 0), [host("web", { cpuPct: 10 })]);
    expect(sent).toEqual([]);
    expect(engine.state(0).events.map((e) => e.kind)).toEqual(["resolved", "firing"]);
  });

  test("notified before the window, resolved inside: the resolution is told when it ends", async () => {
    const { sent, at } = silenced();
    await at(monday(1, 50), [host("web", { cpuPct: 95 })]);
    // No repeat inside the window, though one would be due at 02:20.
    await at(monday(2, 30), [host("web", { cpuPct: 95 })]);
    await at(monday(3, 0), [host("web", { cpuPct: 10 })]);
    expect(kinds(sent)).toEqual(["firing web"]);
    await at(monday(4, 0), [host("web", { cpuPct: 10 })]);
    expect(kinds(sent)).toEqual(["firing web", "resolved web"]);
    expect(sent[1]?.ts_ms).toBe(monday(3, 0));
  });

  test("a repeat that fell due inside the window goes out when it ends", async () => {
    const { sent, at } = silenced();
    await at(monday(1, 50), [host("web", { cpuPct: 95 })]);
    await at(monday(2, 30), [host("web", { cpuPct: 95 })]);
    await at(monday(4, 0), [host("web", { cpuPct: 95 })]);
    expect(sent.map((s) => s.ts_ms)).toEqual([monday(1, 50), monday(4, 0)]);
  });
});

describe("reboot", () => {
  test("uptime going down fires once, without a resolved, and is gone the next round", async () => {
    const { engine, sent, at } = engineWith([rule("reboot")]);
    await at(T0, [host("db", { uptimeS: 5000, tsMs: 1 })]);
    expect(sent).toEqual([]);
    await at(T0 + 10_000, [host("db", { uptimeS: 5010, tsMs: 2 })]);
    expect(sent).toEqual([]);
    await at(T0 + 20_000, [host("db", { uptimeS: 120, tsMs: 3 })]);
    expect(engine.firing("db")).toEqual([
      { rule: "r", key: null, since_ms: T0 + 20_000, message: "db rebooted (up 2 min)" },
    ]);
    expect(kinds(sent)).toEqual(["firing db"]);
    await at(T0 + 30_000, [host("db", { uptimeS: 130, tsMs: 4 })]);
    expect(engine.firing("db")).toEqual([]);
    expect(engine.state(0).rules[0]?.instances).toEqual([]);
    expect(kinds(sent)).toEqual(["firing db"]);
    expect(engine.state(0).events.map((e) => e.kind)).toEqual(["firing"]);
  });

  test("a reboot seen only across an outage, and the boot time in the facts", async () => {
    const { sent, at } = engineWith([rule("reboot")]);
    const boot = 1_000_000_000;
    await at(T0, [host("db", { uptimeS: 5000, bootMs: boot, tsMs: boot + 5_000_000 })]);
    await at(T0 + MIN, [host("db", { status: "offline", uptimeS: 5000, bootMs: boot })]);
    // Back with a new boot in the facts (uptime unknown on this platform).
    await at(T0 + 2 * MIN, [
      host("db", { uptimeS: null, bootMs: boot + 6_000_000, tsMs: boot + 6_060_000 }),
    ]);
    expect(kinds(sent)).toEqual(["firing db"]);
    expect(sent[0]?.message).toBe("db rebooted (up 1 min)");
    // A boot time that wobbles by seconds is not a reboot.
    await at(T0 + 3 * MIN, [
      host("db", { uptimeS: null, bootMs: boot + 6_002_000, tsMs: boot + 6_120_000 }),
    ]);
    expect(sent).toHaveLength(1);
  });

  test("the new facts arriving a round after the uptime fell do not count it twice", async () => {
    const { sent, at } = engineWith([rule("reboot")]);
    const boot = 1_000_000_000;
    await at(T0, [host("db", { uptimeS: 5000, bootMs: boot, tsMs: boot + 5_000_000 })]);
    await at(T0 + MIN, [host("db", { uptimeS: 60, bootMs: boot, tsMs: boot + 7_000_000 })]);
    await at(T0 + 2 * MIN, [
      host("db", { uptimeS: 120, bootMs: boot + 6_940_000, tsMs: boot + 7_060_000 }),
    ]);
    expect(kinds(sent)).toEqual(["firing db"]);
  });
});

describe("host offline", () => {
  test.each([
    [
      "offline",
      "no answer within 8000 ms",
      "nas is offline: no answer within 8000 ms (since 09:58)",
    ],
    [
      "unauthorized",
      "the sender refused our token (HTTP 401)",
      "nas is unauthorized: the sender refused our token (HTTP 401) (since 09:58)",
    ],
    [
      "incompatible",
      "no hwm sender API at this URL (HTTP 404)",
      "nas is incompatible: no hwm sender API at this URL (HTTP 404) (since 09:58)",
    ],
  ] as const)("%s fires, says why and since when", async (status, lastError, message) => {
    const { engine, sent, at } = engineWith([rule("host offline", { for: MIN })]);
    const down = host("nas", { status, lastError, lastSeenMs: T0 - 2 * MIN });
    await at(T0, [down]);
    expect(engine.state(T0).rules[0]?.instances[0]).toMatchObject({
      state: "pending",
      value: null,
    });
    await at(T0 + MIN, [down]);
    expect(engine.firing("nas")[0]?.message).toBe(message);
    expect(sent[0]).toMatchObject({
      kind: "firing",
      severity: "critical",
      value: null,
      threshold: null,
    });
    await at(T0 + 20 * MIN, [host("nas")]);
    expect(sent[1]).toMatchObject({
      kind: "resolved",
      message: "nas answers again (after 20 min)",
    });
  });

  test("stale is not offline", async () => {
    const { engine, at } = engineWith([rule("host offline")]);
    await at(T0, [host("nas", { status: "stale", lastError: "no answer within 800 ms" })]);
    expect(engine.state(T0).rules[0]?.state).toBe("ok");
  });
});

describe("reload", () => {
  test("a rule with the same name and condition keeps its state; a changed one ends", async () => {
    const { engine, sent, at } = engineWith([
      rule("cpu.total_pct > 90", { name: "cpu" }),
      rule("disks[*].used_pct > 90", { name: "disk" }),
    ]);
    await at(T0, [host("web", { cpuPct: 95, disks: { "/": 95 } })]);
    expect(sent).toHaveLength(2);
    engine.setRules(
      [
        rule("cpu.total_pct  >  90", { name: "cpu", notify: ["hook"], repeat: 60 * MIN }),
        rule("disks[*].used_pct > 80", { name: "disk", notify: ["hook"] }),
      ],
      [notifier("webhook", "http://hook.test/x", "hook")],
    );
    await Bun.sleep(5);
    expect(engine.firing("web").map((f) => f.rule)).toEqual(["cpu"]);
    expect(sent.at(-1)).toMatchObject({ kind: "resolved", rule: "disk" });
    await at(T0 + MIN, [host("web", { cpuPct: 95, disks: { "/": 95 } })]);
    const cpu = engine.state(T0).rules.find((r) => r.name === "cpu");
    expect(cpu?.instances[0]).toMatchObject({ state: "firing", since_ms: T0 });
    // cpu was not notified again; the new disk rule fired afresh.
    expect(kinds(sent.filter((s) => s.rule === "cpu"))).toEqual(["firing web"]);
    expect(sent.at(-1)).toMatchObject({ kind: "firing", rule: "disk", since_ms: T0 + MIN });
  });
});

class MemoryStore implements AlertStore {
  active: ActiveAlert[] = [];
  events: AlertEvent[] = [];
  saves = 0;
  load() {
    return { active: [...this.active], events: [...this.events].reverse() };
  }
  save(active: readonly ActiveAlert[], newEvents: readonly AlertEvent[]) {
    this.saves++;
    this.active = [...active];
    this.events.push(...newEvents);
  }
}

describe("restart", () => {
  test("a firing alert is neither forgotten nor notified again", async () => {
    const store = new MemoryStore();
    const first = engineWith([rule("cpu.total_pct > 90", { for: MIN })], store);
    await first.at(T0, [host("web", { cpuPct: 95 }), host("db", { cpuPct: 95 })]);
    await first.at(T0 + MIN, [host("web", { cpuPct: 95 }), host("db", { cpuPct: 50 })]);
    await first.at(T0 + MIN + 1000, [host("web", { cpuPct: 96 }), host("db", { cpuPct: 95 })]);
    expect(kinds(first.sent)).toEqual(["firing web"]);
    const savesBefore = store.saves;
    // Nothing changed: no write.
    await first.at(T0 + MIN + 2000, [host("web", { cpuPct: 97 }), host("db", { cpuPct: 95 })]);
    expect(store.saves).toBe(savesBefore);

    const second = engineWith([rule("cpu.total_pct > 90", { for: MIN })], store);
    expect(second.engine.firing("web")[0]?.since_ms).toBe(T0 + MIN);
    expect(second.engine.state(0).events.map((e) => e.kind)).toEqual(["firing"]);
    await second.at(T0 + 3 * MIN, [host("web", { cpuPct: 95 }), host("db", { cpuPct: 95 })]);
    // web goes on firing without a word; db's pending time survived too.
    expect(kinds(second.sent)).toEqual(["firing db"]);
    expect(second.sent[0]?.since_ms).toBe(T0 + 3 * MIN);

    // A rule whose condition changed does not inherit.
    const third = engineWith([rule("cpu.total_pct > 95", { for: MIN })], store);
    expect(third.engine.firing("web")).toEqual([]);
  });

  test("through SQLite", async () => {
    const db = new Database(":memory:");
    const store = sqliteAlertStore(db, silentLogger);
    const first = engineWith([rule("cpu.total_pct > 90")], store);
    await first.at(T0, [host("web", { cpuPct: 95 })]);
    await first.at(T0 + MIN, [host("web", { cpuPct: 5 })]);
    await first.at(T0 + 2 * MIN, [host("web", { cpuPct: 95 }), host("db", { cpuPct: 99 })]);
    const second = engineWith([rule("cpu.total_pct > 90")], sqliteAlertStore(db, silentLogger));
    expect(second.engine.firing("web")).toHaveLength(1);
    expect(second.engine.state(0).events.map((e) => `${e.kind} ${e.host}`)).toEqual([
      "firing db",
      "firing web",
      "resolved web",
      "firing web",
    ]);
    await second.at(T0 + 3 * MIN, [host("web", { cpuPct: 95 }), host("db", { cpuPct: 99 })]);
    expect(second.sent).toEqual([]);
  });

  test("the stored events are bounded; a broken store is logged, never thrown", async () => {
    const db = new Database(":memory:");
    const store = sqliteAlertStore(db, silentLogger);
    const first = engineWith([rule("cpu.total_pct > 90")], store).engine;
    for (let i = 0; i < 1100; i++) {
      first.evaluate([host("web", { cpuPct: i % 2 ? 5 : 95 })], T0 + i * 1000);
    }
    expect(db.query("SELECT count(*) AS n FROM alert_events").get()).toEqual({ n: 1000 });
    const { engine } = engineWith([rule("cpu.total_pct > 90")], store);
    expect(engine.state(0).events).toHaveLength(200);
    db.close();
    const { log, lines } = memoryLog();
    const broken = sqliteAlertStore(db, log);
    expect(() => broken.save([], [])).not.toThrow();
    expect(broken.load()).toEqual({ active: [], events: [] });
    expect(lines.join("\n")).toContain("alert state");
  });
});

describe("cost", () => {
  test("200 hosts × 10 rules evaluate in a few milliseconds", () => {
    const rules = [
      rule("cpu.total_pct > 90", { name: "a", for: 5 * MIN }),
      rule("disks[*].used_pct >= 90", { name: "b" }),
      rule("sensors.max_celsius > 80", { name: "c" }),
      rule("host offline", { name: "d", for: MIN }),
      rule("reboot", { name: "e" }),
      rule("memory.used_pct > 95", { name: "f" }),
      rule("cpu.load[1m] > 8", { name: "g" }),
      rule("disks[*].used_pct >= 50", { name: "h", hosts: ["h1*"] }),
      rule("cpu.cores_pct[*] > 99", { name: "i" }),
      rule("uptime_s < 600", { name: "j" }),
    ];
    const engine = new AlertEngine({ rules, notifiers: [], log: silentLogger });
    const rounds = 50;
    const fleets = Array.from({ length: rounds }, (_, round) =>
      Array.from({ length: 200 }, (_, i) =>
        host(`h${i}`, {
          cpuPct: (i * 7 + round) % 100,
          disks: { "/": (i * 3) % 100, "/var": (i * 11) % 100, "/srv": 20 },
          maxCelsius: 40 + (i % 50),
          memoryUsedBytes: 1024 ** 3,
          uptimeS: 10_000 + round,
          tsMs: 1_000_000 + round * 1000,
        }),
      ),
    );
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      engine.evaluate(fleets[round] ?? [], T0 + round * 1000);
    }
    const perRoundMs = (performance.now() - started) / rounds;
    expect(engine.state(0).rules.find((r) => r.name === "b")?.instances.length).toBeGreaterThan(10);
    // 1 Hz leaves 1000 ms per round; the poller must keep nearly all of it.
    expect(perRoundMs).toBeLessThan(25);
  });
});
