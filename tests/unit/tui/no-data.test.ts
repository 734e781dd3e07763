// A host the receiver cannot read says why, in the host view, its header and the fleet's preview,
// rather than "waiting for data…" forever.
import { afterEach, expect, test } from "bun:test";
import type { HostState } from "../../../src/protocol/index.ts";
import { FakeSource, fleetHosts } from "./fixtures.ts";
import { type Harness, startHarness } from "./harness.ts";

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

const REFUSED = "the sender refused the token (HTTP 401)";

function withRefusedHost(): FakeSource {
  const refused: HostState = {
    id: "nas",
    url: "http://10.0.0.9:7070",
    status: "unauthorized",
    info: null,
    snapshot: null,
    last_seen_ms: null,
    last_error: REFUSED,
  };
  return new FakeSource({ kind: "receiver", link: "live", hosts: [refused, ...fleetHosts()] });
}

test("the host view of a refused host shows the reason, not panels waiting for data", async () => {
  harness = await startHarness(withRefusedHost(), 100, 30);
  // Problems first, by name among the unreachable: backup-nas, then nas.
  harness.mockInput.pressArrow("down");
  harness.mockInput.pressEnter();
  const frame = await harness.frame();
  expect(frame).not.toContain("waiting for data");
  expect(frame).toContain("⊘ unauthorized · no data from this host yet");
  expect(frame).toContain(REFUSED);
  expect(frame).toContain("check this sender's token");
  const [header] = await harness.lines();
  expect(header).toContain(`nas ⊘ unauthorized · last seen never · ${REFUSED}`);
});

test("the fleet's preview of the selected host says the same", async () => {
  harness = await startHarness(withRefusedHost(), 120, 40);
  harness.mockInput.pressArrow("down");
  const frame = await harness.frame();
  expect(frame).not.toContain("waiting for data");
  expect(frame).toContain(REFUSED);
});
