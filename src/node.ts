// Assembles a running node from a Config: the shared HTTP app, the routes of its role(s), the
// server, and config reloading for receivers. Used by `hwm run` and by integration tests.
import { hostname } from "node:os";
import { type Collector, createCollector } from "./collect/index.ts";
import { ConfigError } from "./config/errors.ts";
import type { Config } from "./config/load.ts";
import type { Logger } from "./log.ts";
import type { Receiver } from "./receiver/receiver.ts";
import { addSenderRoutes } from "./sender/routes.ts";
import { senderWsHandler } from "./sender/ws.ts";
import type { AuthPolicy } from "./server/auth.ts";
import { createHttpApp } from "./server/http.ts";
import { AuthBackoff } from "./server/limits.ts";
import { serve, type WsHandler } from "./server/serve.ts";
import { SessionStore } from "./server/sessions.ts";
import type { StaticRoutes } from "./web/routes.ts";

export interface RunningNode {
  /** Base URL the node answers on, with the real port when the config asked for port 0. */
  url: string;
  receiver: Receiver | null;
  stop(): Promise<void>;
}

export interface NodeOptions {
  /** Re-reads the config (flags, env, file) for a reload; throws ConfigError when it is bad. */
  reloadConfig?: () => Config;
  collector?: Collector;
}

export async function startNode(
  config: Config,
  log: Logger,
  options: NodeOptions = {},
): Promise<RunningNode> {
  const hasSender = config.role !== "receiver";
  const hasReceiver = config.role !== "sender";
  const secure = config.tls !== null;
  const policy: AuthPolicy = {
    token: config.token,
    backoff: new AuthBackoff(),
    sessions: hasReceiver ? new SessionStore() : undefined,
  };
  const app = createHttpApp(policy, log);
  const websockets: Record<string, WsHandler> = {};
  const collector = hasSender
    ? (options.collector ?? createCollector({ procfs: config.procfs, sysfs: config.sysfs }))
    : null;

  if (collector) {
    // In role both, /metrics is the receiver's: every host, this one included, with a host label.
    addSenderRoutes(app, collector, { metrics: !hasReceiver });
    websockets["/api/v1/ws"] = senderWsHandler(collector, log);
  }

  let receiver: Receiver | null = null;
  let stopWatching = () => {};
  let staticRoutes: StaticRoutes | undefined;
  if (hasReceiver) {
    // Loaded for the receiver roles only: a sender never loads the receiver, the dashboard or
    // node:tls (with the other modules a sender no longer loads, ~1 MB less RSS, measured).
    const [{ Receiver }, { watchConfig }, { addReceiverRoutes }, { addSessionRoutes }, web] =
      await Promise.all([
        import("./receiver/receiver.ts"),
        import("./receiver/reload.ts"),
        import("./receiver/routes.ts"),
        import("./server/session-routes.ts"),
        import("./web/routes.ts"),
      ]);
    staticRoutes = web.webRoutes;
    const local = collector
      ? { id: (await collector.info()).hostname || hostname(), collector }
      : null;
    receiver = new Receiver({
      intervalMs: config.intervalMs,
      token: config.token,
      senders: config.senders,
      local,
      log,
    });
    addSessionRoutes(app, policy, secure, config.dashboard.allowedOrigins);
    addReceiverRoutes(app, receiver);
    websockets["/api/v1/live"] = receiver.liveHandler();
    const { reloadConfig } = options;
    if (config.configPath && reloadConfig) {
      const live = receiver;
      stopWatching = watchConfig(config.configPath, () => {
        try {
          const next = reloadConfig();
          live.setSenders(next.senders);
          log.info("config reloaded", { senders: next.senders.length });
        } catch (err) {
          const problems = err instanceof ConfigError ? err.problems.join("; ") : String(err);
          log.error("config reload failed; keeping the last good config", { problems });
        }
      });
    }
  }

  const server = serve({
    hostname: config.listen.host,
    port: config.listen.port,
    tls: config.tls ? { cert: config.tls.cert, key: config.tls.key } : null,
    app,
    policy,
    allowedOrigins: config.dashboard.allowedOrigins,
    websockets,
    staticRoutes,
    log,
  });
  const scheme = secure ? "https" : "http";
  const host = config.listen.host.includes(":") ? `[${config.listen.host}]` : config.listen.host;
  const url = `${scheme}://${host}:${server.port}`;
  log.info("listening", {
    url,
    role: config.role,
    auth: config.token ? "token" : "none (loopback only)",
  });
  return {
    url,
    receiver,
    async stop() {
      stopWatching();
      receiver?.stop();
      await server.stop(true);
    },
  };
}
