// Assembles a running node from a Config: the shared HTTP app, the routes of its role, and the
// server. Used by `hwm run` and by in-process integration tests.
import { type Collector, createCollector } from "./collect/index.ts";
import type { Config } from "./config/load.ts";
import type { Logger } from "./log.ts";
import { addSenderRoutes } from "./sender/routes.ts";
import { senderWsHandler } from "./sender/ws.ts";
import { createHttpApp } from "./server/http.ts";
import { AuthBackoff } from "./server/limits.ts";
import { serve } from "./server/serve.ts";

export interface RunningNode {
  /** Base URL the node answers on, with the real port when the config asked for port 0. */
  url: string;
  stop(): Promise<void>;
}

export function startNode(config: Config, log: Logger, collector?: Collector): RunningNode {
  const policy = { token: config.token, backoff: new AuthBackoff() };
  const app = createHttpApp(policy, log);
  const local = collector ?? createCollector({ procfs: config.procfs, sysfs: config.sysfs });
  addSenderRoutes(app, local);
  const server = serve({
    hostname: config.listen.host,
    port: config.listen.port,
    tls: config.tls ? { cert: config.tls.cert, key: config.tls.key } : null,
    app,
    policy,
    allowedOrigins: config.dashboard.allowedOrigins,
    websockets: { "/api/v1/ws": senderWsHandler(local, log) },
    log,
  });
  const scheme = config.tls ? "https" : "http";
  const host = config.listen.host.includes(":") ? `[${config.listen.host}]` : config.listen.host;
  const url = `${scheme}://${host}:${server.port}`;
  log.info("listening", {
    url,
    role: config.role,
    auth: config.token ? "token" : "none (loopback only)",
  });
  return {
    url,
    async stop() {
      await server.stop(true);
    },
  };
}
