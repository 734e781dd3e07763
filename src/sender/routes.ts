// The sender's HTTP routes: host facts, snapshots on demand, and the Prometheus exposition.
// No timers here: every sample is taken because somebody asked.
import type { Collector } from "../collect/index.ts";
import { renderMetrics } from "../metrics/prometheus.ts";
import { parseSections, SECTIONS } from "../protocol/index.ts";
import { type HttpApp, jsonError } from "../server/http.ts";
import { snapshotJson } from "./snapshot-json.ts";

export function addSenderRoutes(
  app: HttpApp,
  collector: Collector,
  options: { metrics: boolean },
): void {
  app.get("/api/v1/info", async (c) => c.json(await collector.info()));

  app.get("/api/v1/snapshot", async (c) => {
    const sections = parseSections(c.req.query("sections"));
    if (!sections.ok) return jsonError(400, "bad_request", `sections: ${sections.error}`);
    return c.body(snapshotJson(await collector.snapshot(sections.value)), 200, {
      "content-type": "application/json",
    });
  });

  if (!options.metrics) return;
  app.get("/metrics", async (c) => {
    const [info, snapshot] = await Promise.all([collector.info(), collector.snapshot(SECTIONS)]);
    return c.body(renderMetrics([{ labels: {}, info, snapshot }]), 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    });
  });
}
