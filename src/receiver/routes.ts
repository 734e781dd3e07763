// The receiver's HTTP routes: the fleet as JSON and every host's metrics with a `host` label.
import { renderMetrics } from "../metrics/prometheus.ts";
import type { Features, HostsResponse } from "../protocol/index.ts";
import type { HttpApp } from "../server/http.ts";
import type { Receiver } from "./receiver.ts";

export function addReceiverRoutes(app: HttpApp, receiver: Receiver, features: Features): void {
  app.get("/api/v1/hosts", async (c) => {
    const body: HostsResponse = { ts_ms: Date.now(), hosts: await receiver.hosts(), features };
    return c.json(body);
  });

  app.get("/metrics", async (c) => {
    const hosts = await receiver.hosts();
    const text = renderMetrics(
      hosts.map((h) => ({
        labels: { host: h.id },
        info: h.info,
        // Only what is current: a host that went away is reported as down, not with old values.
        snapshot: h.status === "online" ? h.snapshot : null,
        up: h.status === "online",
      })),
    );
    return c.body(text, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });
}
