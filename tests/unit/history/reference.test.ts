// docs/HISTORY.md lists every metric name the catalog knows (regenerate: bun scripts/metrics-reference.ts).
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { renderMetricReference } from "../../../src/history/reference.ts";

test("docs/HISTORY.md carries the metric table as the catalog renders it", () => {
  const doc = readFileSync(resolve(import.meta.dir, "../../../docs/HISTORY.md"), "utf8");
  expect(doc).toContain(renderMetricReference());
});
