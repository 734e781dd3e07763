// Assembles a running node from a Config: the shared HTTP app, the routes of its role(s), the
// server, and config reloading for receivers. Used by `hwm run` and by integration tests.
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import type { AlertEngine } from "./alerts/engine.ts";
import { type Collector, createCollector } from "./collect/index.ts";
import { DEFAULT_HEALTH } from "./collect/linux/health.ts";
import { type Config, ConfigError } from "./config/index.ts";
import { defaultHistoryPath } from "./history/path.ts";
import type { HostRow } from "./history/records.ts";
import type { SqliteHistory } from "./history/sqlite.ts";
import type { Logger } from "./log.ts";
import type { Receiver } from "./receiver/receiver.ts";
import { addSenderRoutes } from "./sender/routes.ts";
import { senderWsHandler } from "./sender/ws.ts";
import type { AuthPolicy } from "./server/auth.ts";
import { certificateFingerprint } from "./server/fingerprint.ts";
import { createHttpApp } from "./server/http.ts";
import { AuthBackoff } from "./server/limits.ts";
import { OpenSockets } from "./server/open-sockets.ts";
import { serve, type WsHandler } from "./server/serve.ts";
import { SessionStore } from "./server/sessions.ts";
import type { StaticRoutes } from "./web/routes.ts";

/** Routes of a node's sender, which take the fleet token even in role both. */
const SENDER_PATHS = new Set(["/api/v1/info", "/api/v1/snapshot", "/api/v1/ws"]);

/** What the dashboard login and the receiver's routes take. */
function loginSecret(config: Config): string | null {
  return config.dashboard.token ?? config.token;
}

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
  /** Where the default history path is looked up (STATE_DIRECTORY, XDG_STATE_HOME, HOME). */
  env?: Record<string, string | undefined>;
}

export async function startNode(
  config: Config,
  log: Logger,
  options: NodeOptions = {},
): Promise<RunningNode> {
  const hasSender = config.role !== "receiver";
  const hasReceiver = config.role !== "sender";
  const secure = config.tls !== null;
  const env = options.env ?? process.env;
  // Two credentials: the fleet token opens this node's sender routes; the receiver's routes and
  // the browser login take the dashboard's own secret (the fleet token while there is none).
  const backoff = new AuthBackoff();
  const senderPolicy: AuthPolicy = { token: config.token, backoff };
  const consumerPolicy: AuthPolicy | null = hasReceiver
    ? {
        token: loginSecret(config),
        backoff,
        tls: secure,
        sessions: new SessionStore({
          secret: loginSecret(config),
          file: join(dirname(defaultHistoryPath(env)), "sessions.json"),
          lifetimeMs: config.dashboard.sessionLifetimeMs,
          onFileError: (message) =>
            log.warn(`sessions: ${message}; sessions may not survive a restart`),
        }),
      }
    : null;
  const policyFor = (path: string): AuthPolicy =>
    consumerPolicy && !(hasSender && SENDER_PATHS.has(path)) ? consumerPolicy : senderPolicy;
  const sockets = new OpenSockets();
  consumerPolicy?.sessions?.onEnded(() => sockets.sweep());
  const app = createHttpApp(policyFor, log);
  const websockets: Record<string, WsHandler> = {};
  const collector = hasSender
    ? (options.collector ??
      createCollector({
        procfs: config.procfs,
        sysfs: config.sysfs,
        pveDir: config.pveDir,
        health: { ...config.health, path: process.env.PATH ?? DEFAULT_HEALTH.path },
        textfileDir: config.custom.textfileDir,
      }))
    : null;

  if (collector) {
    // In role both, /metrics is the receiver's: every host, this one included, with a host label.
    addSenderRoutes(app, collector, { metrics: !hasReceiver });
    websockets["/api/v1/ws"] = senderWsHandler(collector, log);
  }

  let receiver: Receiver | null = null;
  let stopWatching = () => {};
  let stopHistory = async () => {};
  let staticRoutes: StaticRoutes | undefined;
  if (hasReceiver) {
    // Loaded for the receiver roles only: a sender never loads the receiver, the dashboard or
    // node:tls (with the other modules a sender no longer loads, ~1 MB less RSS, measured).
    const [
      { Receiver },
      { watchConfig },
      { addReceiverRoutes },
      { addHistoryRoutes },
      { addSessionRoutes },
      { openHistory },
      { Recorder },
      web,
    ] = await Promise.all([
      import("./receiver/receiver.ts"),
      import("./receiver/reload.ts"),
      import("./receiver/routes.ts"),
      import("./receiver/history-routes.ts"),
      import("./server/session-routes.ts"),
      import("./history/open.ts"),
      import("./history/recorder.ts"),
      import("./web/routes.ts"),
    ]);
    staticRoutes = web.webRoutes;
    const local = collector
      ? { id: (await collector.info()).hostname || hostname(), collector }
      : null;
    const history = await openHistory(config.history, env, log, (id) =>
      prometheusHostLabel(config, id, local?.id ?? null),
    );
    const alerts = config.alerts.length > 0 ? await startAlerts(config, history.sqlite, log) : null;
    let restored: HostRow[] = [];
    try {
      restored = history.sqlite?.loadHosts() ?? [];
    } catch (err) {
      log.error("history: the hosts of the last run could not be read", { error: String(err) });
    }
    receiver = new Receiver({
      intervalMs: config.intervalMs,
      token: config.token,
      senders: config.senders,
      maxMessageBytes: config.maxMessageBytes,
      local,
      log,
      // Recording, and alert rules, need the fleet polled even while nobody watches.
      backgroundMs: history.sqlite || alerts ? config.history.intervalMs : null,
      recorder: history.sqlite
        ? new Recorder(history.sqlite, config.history.intervalMs, restored)
        : null,
      restored,
      alerts,
    });
    const fleet = receiver.fleet;
    stopHistory = async () => {
      await alerts?.stop();
      history.access.reader?.close();
    };
    if (consumerPolicy)
      addSessionRoutes(app, consumerPolicy, secure, config.dashboard.allowedOrigins);
    addReceiverRoutes(app, receiver, {
      history: history.access.reader?.backend ?? null,
      alerts: alerts !== null,
    });
    addHistoryRoutes(app, {
      history: history.access,
      hasHost: (id) => fleet.has(id),
      hostIds: () => fleet.ids(),
      alerts: alerts ? (nowMs) => alerts.state(nowMs) : null,
    });
    websockets["/api/v1/live"] = receiver.liveHandler();
    const { reloadConfig } = options;
    if (config.configPath && reloadConfig) {
      const live = receiver;
      stopWatching = watchConfig(config.configPath, () => {
        try {
          const next = reloadConfig();
          const tokensChanged =
            next.token !== senderPolicy.token || loginSecret(next) !== consumerPolicy?.token;
          senderPolicy.token = next.token;
          if (consumerPolicy) {
            consumerPolicy.token = loginSecret(next);
            consumerPolicy.sessions?.setSecret(loginSecret(next));
          }
          // Each sender's token resolved here, so a new fleet token reaches the senders too.
          live.setSenders(
            next.senders.map((s) => ({ ...s, token: s.token ?? next.token })),
            next.maxMessageBytes,
          );
          if (tokensChanged) {
            // Sockets opened with the old token (or a session of the old secret) end now.
            const closed = sockets.sweep();
            log.info("token changed: the old one is refused from now on", {
              closed_sockets: closed,
            });
          }
          alerts?.setRules(next.alerts, next.notifiers);
          if (JSON.stringify(next.history) !== JSON.stringify(config.history)) {
            log.warn("history settings changed: restart the receiver to apply them");
          }
          if (next.alerts.length > 0 && !alerts) {
            log.warn("alert rules added: restart the receiver to start evaluating them");
          }
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
    policy: policyFor,
    sockets,
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
    // What a receiver pins (senders[].fingerprint); cheap: one hash of the certificate file.
    fingerprint: config.tls ? (certificateFingerprint(config.tls.cert) ?? undefined) : undefined,
  });
  return {
    url,
    receiver,
    async stop() {
      stopWatching();
      sockets.stop();
      receiver?.stop();
      await server.stop(true);
      await stopHistory();
    },
  };
}

/**
 * Where a host's series are in Prometheus: label "host" is the id itself; label "instance" is
 * the host:port Prometheus scrapes, taken from the sender's URL (this node's own address for
 * the local host of role both).
 */
function prometheusHostLabel(config: Config, id: string, localId: string | null): string | null {
  if (config.history.prometheus?.label === "host") return id;
  if (id === localId) return listenHostPort(config);
  const sender = config.senders.find((s) => s.name === id);
  return sender ? (URL.parse(sender.url)?.host ?? null) : null;
}

function listenHostPort(config: Config): string {
  const { host, port } = config.listen;
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** The dashboard's address for links in notifications; null when it cannot be known here. */
function dashboardUrl(config: Config): string | null {
  const { host, port } = config.listen;
  if (port === 0 || host === "0.0.0.0" || host === "::") return null;
  return `${config.tls ? "https" : "http"}://${listenHostPort(config)}`;
}

async function startAlerts(
  config: Config,
  sqlite: SqliteHistory | null,
  log: Logger,
): Promise<AlertEngine> {
  const { AlertEngine, sqliteAlertStore } = await import("./alerts/engine.ts");
  return new AlertEngine({
    rules: config.alerts,
    notifiers: config.notifiers,
    log,
    // Without the history file, alert state lives in memory only (docs/ALERTS.md says so).
    store: sqlite ? sqliteAlertStore(sqlite.db, log) : null,
    dashboardUrl: dashboardUrl(config),
  });
}
