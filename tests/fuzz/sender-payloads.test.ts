// Fuzzing what a sender answers a receiver: a valid snapshot or host-info answer, mutated (wrong
// types, deep nesting, huge arrays, numbers JSON cannot hold such as 1e999, unicode, extra keys).
// In-process, the receiver's decoding and everything downstream of an accepted answer (the fleet,
// its JSON routes and /metrics, the live fan-out, the history recorder); over a real loopback
// socket, a smaller number of cases through the receiver's own link to a fake sender.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fc from "fast-check";
import * as v from "valibot";
import type { Collector } from "../../src/collect/index.ts";
import { SqliteHistory } from "../../src/history/sqlite.ts";
import { silentLogger } from "../../src/log.ts";
import {
  decode,
  FleetMessageSchema,
  type HostInfo,
  HostsResponseSchema,
  SECTIONS,
  type Snapshot,
  SnapshotSchema,
  WsResponseSchema,
} from "../../src/protocol/index.ts";
import { DEFAULT_MAX_MESSAGE_BYTES, LinkError, RemoteLink } from "../../src/receiver/link.ts";
import { fakeCollector, fakeConn, INFO, inProcessNode } from "../helpers/app.ts";
import { anyJson, fuzzAsync, RUNS } from "./fuzz.ts";

const dir = mkdtempSync(join(tmpdir(), "hwm-fuzz-payloads-"));
const store = SqliteHistory.open(join(dir, "history.db"), {
  intervalMs: 1000,
  rawRetentionMs: 3_600_000,
  rollups: [],
  log: silentLogger,
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Cases through a real socket: each opens a connection, so fewer of them. */
const LINK_RUNS = Math.max(50, Math.round(RUNS / 20));

const VALID_SNAPSHOT: Snapshot = await fakeCollector().snapshot(SECTIONS);

// --- mutations of a valid answer ---

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The paths to values inside `value` (the root included, as []), down to a depth well past the
 * schema's, and a bounded number of them: a nested or grown value stays cheap to mutate again.
 */
function pathsOf(value: Json, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (at.length >= 8 || out.length > 2_000) return out;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) pathsOf(item, [...at, i], out);
  } else if (value !== null && typeof value === "object") {
    for (const [k, item] of Object.entries(value)) pathsOf(item, [...at, k], out);
  }
  return out;
}

function setAt(root: Json, path: (string | number)[], make: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return make(root) ?? null;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const container = root as Record<string | number, Json>;
  const next =
    rest.length === 0 ? make(container[head] ?? null) : setAt(container[head] ?? null, rest, make);
  if (next === undefined) {
    if (Array.isArray(container)) container.splice(Number(head), 1);
    else delete container[head];
  } else container[head] = next;
  return root;
}

/**
 * Raw JSON number texts put in place of a marker after JSON.stringify: what a sender can send
 * and JSON.parse turns into Infinity, -0 or a rounded value.
 */
const RAW_NUMBERS = [
  "1e999",
  "-1e999",
  "-0",
  "1E400",
  "4.9e-325",
  "123456789012345678901234567890",
];
const MARKER = "\u0000raw-number\u0000";

type Mutation =
  | { kind: "replace"; at: number; value: Json }
  | { kind: "delete"; at: number }
  | { kind: "grow"; at: number; times: number }
  | { kind: "deepen"; at: number; depth: number }
  | { kind: "rawNumber"; at: number; text: string }
  | { kind: "longString"; at: number; unit: string; times: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("replace"),
      at: fc.nat(),
      value: anyJson as fc.Arbitrary<Json>,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete"), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("grow"),
      at: fc.nat(),
      // Mostly a few copies; sometimes past the protocol's caps (1024 sensors, 8192 cores).
      times: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 2, max: 50 }) },
        { weight: 1, arbitrary: fc.integer({ min: 1000, max: 10_000 }) },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("deepen"),
      at: fc.nat(),
      depth: fc.integer({ min: 10, max: 5_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("rawNumber"),
      at: fc.nat(),
      text: fc.constantFrom(...RAW_NUMBERS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("longString"),
      at: fc.nat(),
      unit: fc.constantFrom("a", "é", "💥", "\u202e", "\u0000", "\uD800"),
      times: fc.integer({ min: 100, max: 20_000 }),
    }),
  },
);

/** The answer's JSON text after the mutations; `raw` numbers are spliced into the text. */
function mutatedAnswer(answer: Json, mutations: readonly Mutation[]): string {
  let value = structuredClone(answer);
  const raws: string[] = [];
  for (const m of mutations) {
    const paths = pathsOf(value);
    const path = paths[m.at % paths.length] ?? [];
    value = setAt(value, path, (old) => {
      switch (m.kind) {
        case "replace":
          return m.value;
        case "delete":
          return undefined;
        case "grow": {
          // Copies of an item or a value; a whole object only a few times, to stay in budget.
          const items = Array.isArray(old) && old.length > 0 ? old : [old];
          const times =
            old !== null && typeof old === "object" && !Array.isArray(old)
              ? m.times % 100
              : m.times;
          return Array.from({ length: times }, (_, i) => items[i % items.length] ?? null);
        }
        case "deepen": {
          let nested: Json = old;
          for (let i = 0; i < m.depth; i++) nested = [nested];
          return nested;
        }
        case "rawNumber":
          raws.push(m.text);
          return MARKER;
        case "longString":
          return m.unit.repeat(m.times);
      }
    });
  }
  let text = JSON.stringify(value);
  for (const raw of raws) text = text.replace(JSON.stringify(MARKER), raw);
  return text;
}

const snapshotAnswer = fc
  .array(mutation, { minLength: 0, maxLength: 4 })
  .map((ms) =>
    mutatedAnswer({ id: 1, type: "snapshot", data: VALID_SNAPSHOT as unknown as Json }, ms),
  );
const infoAnswer = fc
  .array(mutation, { minLength: 0, maxLength: 3 })
  .map((ms) => mutatedAnswer({ id: 1, type: "info", data: INFO as unknown as Json }, ms));

// --- the receiver's side of an answer ---

/** What the link does with a message: JSON, then the schema; the error names the path. */
function decodeAnswer(text: string): { ok: true; data: Snapshot | HostInfo } | { ok: false } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false };
  }
  const decoded = decode(WsResponseSchema, json);
  if (!decoded.ok) {
    // The link shortens what it quotes of this before it shows it anywhere.
    expect(decoded.error.trim().length).toBeGreaterThan(0);
    return { ok: false };
  }
  if (decoded.value.type === "error") return { ok: false };
  return { ok: true, data: decoded.value.data };
}

/** A collector that hands the receiver what the sender sent (the local link decodes nothing). */
function collectorOf(snapshot: Snapshot | null, info: HostInfo | null): Collector {
  const valid = fakeCollector();
  return {
    snapshot: async (sections) => snapshot ?? valid.snapshot(sections),
    info: async () => info ?? valid.info(),
  };
}

/** Every way the fleet leaves the receiver: routes, metrics, live frames, the history file. */
async function downstream(snapshot: Snapshot | null, info: HostInfo | null): Promise<void> {
  const node = inProcessNode({
    role: "both",
    token: null,
    collector: collectorOf(snapshot, info),
    history: store,
    localId: "fuzzed",
  });
  const consumer = fakeConn();
  const live = node.liveWs;
  try {
    // A consumer starts the polling: the first round goes out to it as a fleet frame.
    live?.open?.(consumer);
    live?.message(
      consumer,
      JSON.stringify({ type: "watch", host: "fuzzed", sections: ["processes"] }),
    );
    const deadline = performance.now() + 1000;
    while (!consumer.sent.some((f) => f.startsWith('{"type":"fleet"'))) {
      if (performance.now() > deadline) throw new Error("no fleet frame within 1 s");
      await Bun.sleep(0);
    }
    for (const frame of consumer.sent) {
      const parsed = JSON.parse(frame) as { type?: string };
      if (parsed.type !== "fleet") continue;
      const fleet = v.safeParse(FleetMessageSchema, parsed);
      if (!fleet.success)
        throw new Error(`a fleet frame off its schema at ${v.getDotPath(fleet.issues[0])}`);
    }
    const hosts = await node.app.request("http://127.0.0.1/api/v1/hosts");
    expect(hosts.status).toBe(200);
    const body = v.safeParse(HostsResponseSchema, await hosts.json());
    if (!body.success) {
      throw new Error(
        `/api/v1/hosts off its schema at ${v.getDotPath(body.issues[0])}: ${body.issues[0].message}`,
      );
    }
    const metrics = await node.app.request("http://127.0.0.1/metrics");
    expect(metrics.status).toBe(200);
  } finally {
    live?.close?.(consumer);
    node.stop();
  }
}

describe("sender payload fuzzing", () => {
  test(`answers decoded, and what is accepted served on intact (${RUNS} cases)`, async () => {
    let accepted = 0;
    await fuzzAsync(
      "answers decoded",
      fc.asyncProperty(fc.oneof(snapshotAnswer, infoAnswer), async (text) => {
        // The link refuses a larger message before parsing it (max_message_bytes' default).
        if (text.length > DEFAULT_MAX_MESSAGE_BYTES) return;
        const answer = decodeAnswer(text);
        if (!answer.ok) return;
        accepted += 1;
        const isSnapshot = "ts_ms" in answer.data;
        await downstream(
          isSnapshot ? (answer.data as Snapshot) : null,
          isSnapshot ? null : (answer.data as HostInfo),
        );
      }),
    );
    console.info(`sender payload fuzzing: ${accepted} mutated answers were accepted and served`);
    if (!process.env.HWM_FUZZ_PATH) expect(accepted).toBeGreaterThan(0);
  }, 120_000);

  test(`through the receiver's own link over a loopback socket (${LINK_RUNS} cases)`, async () => {
    // A fake sender that answers each request with the payload under test, under the request's id.
    let payload = "";
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (req, srv) =>
        srv.upgrade(req, { data: undefined }) ? undefined : new Response("no", { status: 400 }),
      websocket: {
        message(ws, message) {
          const request = JSON.parse(String(message)) as { id: number; type: string };
          const answer =
            request.type === "info"
              ? JSON.stringify({ id: request.id, type: "info", data: INFO })
              : payload.replace(/^\{"id":1,/, `{"id":${request.id},`);
          ws.send(answer);
        },
      },
    });
    const outcomes = { answered: 0, refused: 0 };
    try {
      await fuzzAsync(
        "through the receiver's own link",
        fc.asyncProperty(snapshotAnswer, async (text) => {
          payload = text;
          const link = new RemoteLink(
            { url: `http://127.0.0.1:${server.port}`, token: null, fingerprint: null, ca: null },
            { maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES },
          );
          try {
            const snapshot = await link.snapshot(SECTIONS, 1000);
            outcomes.answered += 1;
            const check = v.safeParse(SnapshotSchema, JSON.parse(JSON.stringify(snapshot)));
            if (!check.success) throw new Error(`an accepted snapshot that does not survive JSON`);
          } catch (err) {
            if (!(err instanceof LinkError)) throw err;
            outcomes.refused += 1;
            // The host's last_error: short, and saying something.
            expect(err.message.trim().length).toBeGreaterThan(0);
            if (err.message.length >= 1024)
              throw new Error(
                `a ${err.message.length}-character error: ${err.message.slice(0, 600)}`,
              );
          } finally {
            link.close();
          }
        }),
        LINK_RUNS,
      );
    } finally {
      server.stop(true);
    }
    console.info(`sender payloads over a socket: ${JSON.stringify(outcomes)}`);
    if (!process.env.HWM_FUZZ_PATH) {
      // A run that never got an answer through, or never a refusal, tested half of the link.
      expect(outcomes.answered).toBeGreaterThan(0);
      expect(outcomes.refused).toBeGreaterThan(0);
    }
  }, 120_000);

  test("a sender's 1e999 (Infinity) is refused, not served on as null", async () => {
    const text = mutatedAnswer(
      { id: 1, type: "snapshot", data: VALID_SNAPSHOT as unknown as Json },
      [],
    ).replace('"celsius":51', '"celsius":1e999');
    const answer = decodeAnswer(text);
    expect(answer.ok).toBe(false);
  });
});
