// Fuzzing the WebSocket messages a node takes, with the handlers called directly (no socket):
// requests to a sender on /api/v1/ws, and consumers' messages and pongs to a receiver on
// /api/v1/live. Every message gets its answer or its error (JSON, a known code, the request's id
// when it had a valid one); nothing throws, and the socket is never closed for a bad message.
import { afterAll, describe, expect, test } from "bun:test";
import * as fc from "fast-check";
import {
  decode,
  ERROR_CODES,
  LiveRequestSchema,
  SECTIONS,
  WsRequestSchema,
  WsResponseSchema,
} from "../../src/protocol/index.ts";
import { type FakeConn, fakeConn, INFO, inProcessNode } from "../helpers/app.ts";
import {
  anyJson,
  anyNumber,
  anyString,
  CASE_TIMEOUT_MS,
  fuzzAsync,
  hostileJsonText,
  RUNS,
} from "./fuzz.ts";

const sender = inProcessNode({ role: "sender", token: null });
const receiver = inProcessNode({ role: "both", token: null });
afterAll(() => {
  sender.stop();
  receiver.stop();
});

/** Waits until the handler has sent `count` messages (its answers may come a few ticks later). */
async function sentAtLeast(conn: FakeConn, count: number): Promise<void> {
  const deadline = performance.now() + CASE_TIMEOUT_MS;
  for (let spins = 0; conn.sent.length < count; spins++) {
    if (performance.now() > deadline) throw new Error(`no answer within ${CASE_TIMEOUT_MS} ms`);
    // Answers come after a few promise ticks; a timer tick only if they take longer.
    await (spins < 200 ? Promise.resolve() : Bun.sleep(0));
  }
}

/** Objects shaped like a message, with each field right, wrong, missing or extra. */
function messageLike(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.dictionary(anyString, anyJson, { maxKeys: 2 }),
      fc.boolean(),
    )
    .map(([known, extra, extraFirst]) =>
      JSON.stringify(extraFirst ? { ...extra, ...known } : { ...known, ...extra }),
    );
}

const section = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SECTIONS) },
  { weight: 1, arbitrary: anyJson },
);

const messageId = fc.oneof(
  { weight: 4, arbitrary: fc.nat() },
  { weight: 1, arbitrary: anyNumber },
  { weight: 1, arbitrary: anyJson },
);

const senderRequest: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: messageLike({
      id: messageId,
      type: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom("snapshot", "info") },
        { weight: 1, arbitrary: anyJson },
      ),
      sections: fc.oneof(
        { weight: 4, arbitrary: fc.array(section, { maxLength: 10 }) },
        {
          weight: 1,
          arbitrary: fc.array(fc.constantFrom(...SECTIONS), { minLength: 1000, maxLength: 5000 }),
        },
        { weight: 1, arbitrary: anyJson },
      ),
    }),
  },
  { weight: 2, arbitrary: anyJson.map((j) => JSON.stringify(j) ?? "null") },
  { weight: 1, arbitrary: hostileJsonText },
  { weight: 1, arbitrary: anyString },
);

const liveRequest: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: messageLike({
      type: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom("watch", "ping", "pong") },
        { weight: 1, arbitrary: anyJson },
      ),
      host: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(INFO.hostname, null, "nosuch", "") },
        { weight: 1, arbitrary: anyString },
        { weight: 1, arbitrary: anyJson },
      ),
      sections: fc.oneof(fc.array(section, { maxLength: 10 }), anyJson),
      id: messageId,
    }),
  },
  { weight: 2, arbitrary: anyJson.map((j) => JSON.stringify(j) ?? "null") },
  { weight: 1, arbitrary: hostileJsonText },
  { weight: 1, arbitrary: anyString },
);

interface WsErrorShape {
  id: unknown;
  type: string;
  error?: { code?: unknown; message?: unknown };
}

/** An error reply: a known code and a message that says something. */
function expectError(reply: WsErrorShape, input: string): void {
  if (reply.type !== "error" || !ERROR_CODES.includes(reply.error?.code as never)) {
    throw new Error(`not an error reply to ${input.slice(0, 200)}: ${JSON.stringify(reply)}`);
  }
  const message = reply.error?.message;
  if (typeof message !== "string" || message.trim() === "") {
    throw new Error(`an error without a message, for ${input.slice(0, 200)}`);
  }
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

describe("WebSocket fuzzing", () => {
  test(`requests to a sender on /api/v1/ws: one answer each (${RUNS} cases)`, async () => {
    const handler = sender.senderWs;
    if (!handler) throw new Error("the sender has no WebSocket handler");
    const conn = fakeConn();
    handler.open?.(conn);
    await fuzzAsync(
      "requests to a sender",
      fc.asyncProperty(senderRequest, async (text) => {
        const before = conn.sent.length;
        handler.message(conn, text);
        await sentAtLeast(conn, before + 1);
        const replies = conn.sent.slice(before);
        expect(replies).toHaveLength(1);
        const reply = JSON.parse(replies[0] ?? "") as WsErrorShape;
        const response = decode(WsResponseSchema, reply);
        if (!response.ok) throw new Error(`an answer off the protocol: ${response.error}`);
        const json = parsedOrUndefined(text);
        const request = json === undefined ? null : decode(WsRequestSchema, json);
        if (request?.ok) {
          // A valid request is answered in kind, under its own id.
          expect(reply.type).toBe(request.value.type);
          expect(reply.id).toBe(request.value.id);
        } else {
          expectError(reply, text);
          const code = json === undefined ? "bad_json" : "bad_message";
          expect(reply.error?.code).toBe(code);
        }
        expect(conn.closed).toBeNull();
      }),
    );
    handler.close?.(conn);
  }, 120_000);

  test(`consumers' messages and pongs on /api/v1/live (${RUNS} cases)`, async () => {
    const handler = receiver.liveWs;
    if (!handler) throw new Error("the receiver has no live handler");
    await fuzzAsync(
      "consumers' messages and pongs",
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            liveRequest.map((text) => ({ text })),
            anyString.map((pong) => ({ pong })),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        async (inputs) => {
          const conn = fakeConn();
          handler.open?.(conn);
          try {
            for (const input of inputs) {
              const before = conn.sent.length;
              if ("pong" in input) {
                handler.pong?.(conn, input.pong);
                continue;
              }
              handler.message(conn, input.text);
              await Promise.resolve();
              const replies = conn.sent.slice(before).map((r) => JSON.parse(r) as WsErrorShape);
              // Fleet frames may go out meanwhile; what matters here is the answer to the input.
              const errors = replies.filter((r) => r.type === "error");
              const json = parsedOrUndefined(input.text);
              const request = json === undefined ? null : decode(LiveRequestSchema, json);
              if (!request?.ok) {
                expect(errors.length).toBeGreaterThanOrEqual(1);
                for (const e of errors) expectError(e, input.text);
              } else {
                for (const e of errors) expectError(e, input.text);
              }
            }
            expect(conn.closed).toBeNull();
            expect(conn.terminated).toBe(false);
          } finally {
            handler.close?.(conn);
          }
        },
      ),
    );
  }, 120_000);
});
