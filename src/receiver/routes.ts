// The receiver's HTTP routes: the fleet as JSON and every host's metrics with a `host` label.
import { renderMetrics } from "../metrics/prometheus.ts";
import type { Features, HostsResponse } from "../protocol/index.ts";
import type { HttpApp } from "../server/http.ts";
import { HTTP_IDLE_TIMEOUT_S } from "../server/serve.ts";
import type { Receiver } from "./receiver.ts";

/**
 * How long a one-off GET waits for its poll round before answering with what the fleet knows.
 * A round lasts until every host answers or times out at 80 % of the interval: with a hung host
 * and `interval_ms` over 12.5 s that is past the server's idle timeout, which would cut the
 * request and leave the client (a Prometheus scrape) an empty reply. Half of it leaves room.
 */
export const ONE_OFF_WAIT_MS = (HTTP_IDLE_TIMEOUT_S * 1000) / 2;

export function addReceiverRoutes(app: HttpApp, receiver: Receiver, features: Features): void {
  app.get("/api/v1/hosts", async (c) => {
    const body: HostsResponse = {
      ts_ms: Date.now(),
      hosts: await receiver.hosts(ONE_OFF_WAIT_MS),
      features,
    };
    return c.json(body);
  });

  app.get("/metrics", async (c) => {
    const hosts = await receiver.hosts(ONE_OFF_WAIT_MS);
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
