// The hand-written fast check of WS requests accepts only what the valibot schema accepts.
import { expect, test } from "bun:test";
import * as v from "valibot";
import { isPlainWsRequest, SECTIONS, WsRequestSchema } from "../../../src/protocol/index.ts";

const ids: unknown[] = [0, 1, 42, Number.MAX_SAFE_INTEGER, -1, 1.5, "1", null, Number.NaN, 2 ** 60];
const types: unknown[] = ["snapshot", "info", "reboot", 1, undefined];
const sectionLists: unknown[] = [
  undefined,
  [],
  ["cpu"],
  [...SECTIONS],
  ["cpu", "gpu"],
  "cpu",
  [1],
  null,
];
const extras: Record<string, unknown>[] = [{}, { pad: "x" }];

test("every request the fast check accepts, the schema accepts too; plain valid ones pass the fast check", () => {
  let accepted = 0;
  for (const id of ids)
    for (const type of types)
      for (const sections of sectionLists)
        for (const extra of extras) {
          const message: Record<string, unknown> = { id, type, ...extra };
          if (sections !== undefined) message.sections = sections;
          const fast = isPlainWsRequest(message);
          const schema = v.safeParse(WsRequestSchema, message).success;
          if (fast) {
            accepted++;
            expect({ message, schema }).toEqual({ message, schema: true });
          }
          const plain =
            schema &&
            Object.keys(extra).length === 0 &&
            !(type === "info" && sections !== undefined);
          if (plain) expect({ message, fast }).toEqual({ message, fast: true });
        }
  expect(accepted).toBe(20); // 4 valid ids × 5 valid forms
  for (const bad of [null, [], "x", 5, [{ id: 1, type: "info" }]])
    expect(isPlainWsRequest(bad)).toBe(false);
});
