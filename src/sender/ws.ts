// The sender's WebSocket: request/response messages ({id,type:"snapshot"|"info"}) answered from
// the collector; bad messages get an error reply and the connection stays open.
import type { Collector } from "../collect/index.ts";
import type { Logger } from "../log.ts";
import { decode, SECTIONS, WsRequestSchema, type WsResponse } from "../protocol/index.ts";
import { type WsHandler, wsError } from "../server/serve.ts";

/** The id of a message we could parse as JSON but not validate, so the error can be matched. */
function idOf(value: unknown): number | null {
  if (typeof value !== "object" || value === null || !("id" in value)) return null;
  const id = (value as { id: unknown }).id;
  return typeof id === "number" && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

export function senderWsHandler(collector: Collector, log: Logger): WsHandler {
  return {
    message(conn, text) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        conn.send(wsError("bad_json", "the message is not valid JSON"));
        return;
      }
      const request = decode(WsRequestSchema, json);
      if (!request.ok) {
        conn.send(
          wsError(
            "bad_message",
            `${request.error} (expected {"id":N,"type":"snapshot","sections":[..]} or {"id":N,"type":"info"})`,
            idOf(json),
          ),
        );
        return;
      }
      const req = request.value;
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
