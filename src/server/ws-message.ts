// Reading one client WebSocket message: JSON, then the protocol schema; a bad one is answered
// with an error naming the problem (and the message id when it had one), and the socket stays open.
import type * as v from "valibot";
import { decode } from "../protocol/index.ts";
import { type WsConnection, wsError } from "./serve.ts";

/** The id of a message we could parse as JSON but not validate, so the error can be matched. */
function idOf(value: unknown): number | null {
  if (typeof value !== "object" || value === null || !("id" in value)) return null;
  const id = (value as { id: unknown }).id;
  return typeof id === "number" && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

/** The validated message, or null after the error reply was sent. `expected` shows a valid one. */
export function readMessage<S extends v.GenericSchema>(
  conn: WsConnection,
  text: string,
  schema: S,
  expected: string,
  /** A cheap check that accepts a subset of what the schema accepts (the common, valid case). */
  accept?: (json: unknown) => json is v.InferOutput<S>,
): v.InferOutput<S> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    conn.send(wsError("bad_json", "the message is not valid JSON"));
    return null;
  }
  if (accept?.(json)) return json;
  const decoded = decode(schema, json);
  if (decoded.ok) return decoded.value;
  conn.send(wsError("bad_message", `${decoded.error} (expected ${expected})`, idOf(json)));
  return null;
}
