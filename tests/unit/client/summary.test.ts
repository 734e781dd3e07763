// A card's status problem says why a host is not online: the receiver's last_error in words.
import { expect, test } from "bun:test";
import type { HostState } from "../../../src/protocol/index.ts";
import { summarize } from "../../../src/web/derive.ts";

const host = (patch: Partial<HostState>): HostState => ({
  id: "nas",
  url: "http://nas:7070",
  status: "online",
  info: null,
  snapshot: null,
  last_seen_ms: null,
  last_error: null,
  ...patch,
});

test.each([
  ["unauthorized", "UNAUTHORIZED", "the sender refused the token (HTTP 401)"],
  ["offline", "OFFLINE", "connection refused: nothing listens on nas:7070 (is hwm running there?)"],
  ["incompatible", "INCOMPATIBLE", "no hwm sender at this URL (HTTP 404)"],
  ["stale", "STALE", "no answer within 800 ms"],
] as const)("%s shows its reason", (status, label, reason) => {
  const [problem] = summarize(host({ status, last_error: reason }), 0).problems;
  expect(problem).toMatchObject({ label, detail: `${reason} · never seen`, title: reason });
});

test("without a reason, the status still says something, and when the host was last seen", () => {
  const [problem] = summarize(
    host({ status: "offline", last_seen_ms: 1_000 }),
    1_000 + 3 * 60_000,
  ).problems;
  expect(problem?.label).toBe("OFFLINE");
  expect(problem?.detail).toStartWith("not answering · last seen 3");
});
