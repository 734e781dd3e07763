// The receiver's history and alert routes: one host's history, many hosts' history at once (the
// fleet's sparklines), and the alert rules with their state and recent events.
import type { Aggregate, HistoryAccess, HistoryAnswer, HistoryReader } from "../history/backend.ts";
import { HistoryError } from "../history/backend.ts";
import { parseHistoryParams } from "../history/params.ts";
import type { AlertsResponse, FleetHistoryResponse, HistoryResponse } from "../protocol/index.ts";
import { type HttpApp, jsonError } from "../server/http.ts";

export interface HistoryRouteDeps {
  history: HistoryAccess;
  /** Is this id a host of the fleet now? */
  hasHost(id: string): boolean;
  hostIds(): string[];
  /** GET /api/v1/alerts; null: no alert rules. */
  alerts: ((nowMs: number) => AlertsResponse) | null;
}

export const HISTORY_OFF =
  "history is off on this receiver: add [history] with enabled = true to its config file (docs/HISTORY.md)";

type Series = Record<string, [number, number][]>;

function seriesOf(answer: HistoryAnswer, host: string): Series {
  return Object.fromEntries(answer.hosts.get(host) ?? []);
}

export function addHistoryRoutes(app: HttpApp, deps: HistoryRouteDeps): void {
  /** The reader, or the response that says why there is none. */
  const readerOr = (): HistoryReader | Response => {
    const { reader, unavailable } = deps.history;
    if (reader) return reader;
    if (unavailable) return jsonError(503, "unavailable", unavailable);
    return jsonError(404, "not_found", HISTORY_OFF);
  };

  const ask = async (
    reader: HistoryReader,
    hosts: string[],
    search: URLSearchParams,
  ): Promise<{ answer: HistoryAnswer; agg: Aggregate } | Response> => {
    const params = parseHistoryParams(search, Date.now());
    if ("param" in params) {
      return jsonError(400, "bad_request", `${params.param}: ${params.message}`);
    }
    try {
      return { answer: await reader.query({ hosts, ...params }), agg: params.agg };
    } catch (err) {
      if (err instanceof HistoryError) return jsonError(503, "unavailable", err.message);
      throw err;
    }
  };

  app.get("/api/v1/hosts/:id/history", async (c) => {
    const id = c.req.param("id");
    if (!deps.hasHost(id)) {
      return jsonError(404, "not_found", `no host ${JSON.stringify(id)} in this fleet`);
    }
    const reader = readerOr();
    if (reader instanceof Response) return reader;
    const asked = await ask(reader, [id], new URL(c.req.url).searchParams);
    if (asked instanceof Response) return asked;
    const { answer, agg } = asked;
    const body: HistoryResponse = {
      host: id,
      from_ms: answer.fromMs,
      to_ms: answer.toMs,
      step_ms: answer.stepMs,
      agg,
      series: seriesOf(answer, id),
    };
    return c.json(body);
  });

  app.get("/api/v1/history", async (c) => {
    const search = new URL(c.req.url).searchParams;
    const reader = readerOr();
    if (reader instanceof Response) return reader;
    const listed = search.get("hosts");
    const hosts =
      listed === null || listed.trim() === "" || listed === "*"
        ? deps.hostIds()
        : listed.split(",").map((h) => h.trim());
    const unknown = hosts.filter((h) => !deps.hasHost(h));
    if (unknown.length > 0) {
      return jsonError(
        404,
        "not_found",
        `hosts: no host ${unknown.map((h) => JSON.stringify(h)).join(", ")} in this fleet`,
      );
    }
    const asked = await ask(reader, hosts, search);
    if (asked instanceof Response) return asked;
    const { answer, agg } = asked;
    const body: FleetHistoryResponse = {
      from_ms: answer.fromMs,
      to_ms: answer.toMs,
      step_ms: answer.stepMs,
      agg,
      hosts: Object.fromEntries(hosts.map((h) => [h, seriesOf(answer, h)])),
    };
    return c.json(body);
  });

  app.get("/api/v1/alerts", (c) => {
    const nowMs = Date.now();
    const body: AlertsResponse = deps.alerts?.(nowMs) ?? { ts_ms: nowMs, rules: [], events: [] };
    return c.json(body);
  });
}
