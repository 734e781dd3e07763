// The sender's WebSocket: request/response messages ({id,type:"snapshot"|"info"}) answered from
// the collector; bad messages get an error reply and the connection stays open.
import type { Collector } from "../collect/index.ts";
import type { Logger } from "../log.ts";
import { isPlainWsRequest, SECTIONS, WsRequestSchema, type WsResponse } from "../protocol/index.ts";
import { type WsHandler, wsError } from "../server/serve.ts";
import { readMessage } from "../server/ws-message.ts";
import { snapshotJson } from "./snapshot-json.ts";

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
      const reply = (response: WsResponse) => conn.send(JSON.stringify(response));
      const fail = (err: unknown) => {
        log.error("ws request failed", {
          type: req.type,
          error: err instanceof Error ? err.message : String(err),
        });
        conn.send(wsError("internal", "the request failed; see the sender's log", req.id));
      };
      if (req.type === "info") {
        collector.info().then((data) => reply({ id: req.id, type: "info", data }), fail);
      } else {
        const sections = req.sections && req.sections.length > 0 ? req.sections : SECTIONS;
        // As reply({ id, type: "snapshot", data }) would write it, the sections' text reused.
        collector
          .snapshot(sections)
          .then(
            (data) =>
              conn.send(
                `{"id":${JSON.stringify(req.id)},"type":"snapshot","data":${snapshotJson(data)}}`,
              ),
            fail,
          );
      }
    },
  };
}
