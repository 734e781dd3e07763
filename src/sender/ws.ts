// The sender's WebSocket: request/response messages ({id,type:"snapshot"|"info"}) answered from
// the collector; bad messages get an error reply and the connection stays open.
import type { Collector } from "../collect/index.ts";
import type { Logger } from "../log.ts";
import { isPlainWsRequest, SECTIONS, WsRequestSchema, type WsResponse } from "../protocol/index.ts";
import { type WsHandler, wsError } from "../server/serve.ts";
import { readMessage } from "../server/ws-message.ts";

export function senderWsHandler(collector: Collector, log: Logger): WsHandler {
  return {
    message(conn, text) {
      const req = readMessage(
        conn,
        text,
        WsRequestSchema,
        '{"id":N,"type":"snapshot","sections":[..]} or {"id":N,"type":"info"}',
        isPlainWsRequest,
      );
      if (!req) return;
      log.debug("ws request", { type: req.type, from: conn.clientAddress });
      const answer: Promise<WsResponse> =
        req.type === "info"
          ? collector.info().then((data) => ({ id: req.id, type: "info", data }))
          : collector
              .snapshot(req.sections && req.sections.length > 0 ? req.sections : SECTIONS)
              .then((data) => ({ id: req.id, type: "snapshot", data }));
      answer.then(
        (response) => conn.send(JSON.stringify(response)),
        (err: unknown) => {
          log.error("ws request failed", {
            type: req.type,
            error: err instanceof Error ? err.message : String(err),
          });
          conn.send(wsError("internal", "the request failed; see the sender's log", req.id));
        },
      );
    },
  };
}
