// The README's configuration reference lists exactly the keys the schema accepts.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CONFIG_REFERENCE, renderReference } from "../../../src/config/reference.ts";
import { ConfigFileSchema } from "../../../src/config/schema.ts";

interface Walkable {
  type: string;
  wrapped?: Walkable;
  pipe?: Walkable[];
  entries?: Record<string, Walkable>;
  item?: Walkable;
}

/** Every key path a schema accepts: "role", "tls.cert", "senders[].name". */
function keyPaths(schema: Walkable, prefix = ""): string[] {
  // valibot's pipe() keeps its first schema's type and lists every step in `pipe`.
  const table = schema.pipe?.find((s) => s.type === "strict_object" || s.type === "object");
  if (table) return keyPaths(table, prefix);
  switch (schema.type) {
    case "optional":
    case "nullable":
      return schema.wrapped ? keyPaths(schema.wrapped, prefix) : [];
    case "array":
      return schema.item && hasEntries(schema.item)
        ? keyPaths(schema.item, `${prefix}[]`)
        : [prefix];
    case "strict_object":
    case "object":
      return Object.entries(schema.entries ?? {}).flatMap(([key, value]) =>
        keyPaths(value, prefix ? `${prefix}.${key}` : key),
      );
    default:
      return [prefix];
  }
}

function hasEntries(schema: Walkable): boolean {
  if (schema.entries) return true;
  return schema.pipe?.some((s) => s.entries !== undefined) ?? false;
}

test("the reference documents every key of the schema, and no other", () => {
  const fromSchema = keyPaths(ConfigFileSchema as unknown as Walkable);
  expect(fromSchema).toContain("senders[].fingerprint");
  expect(fromSchema).toContain("tls.cert");
  expect(CONFIG_REFERENCE.map((k) => k.key).sort()).toEqual(fromSchema.sort());
});

test("the README carries the rendered reference (regenerate: bun scripts/config-reference.ts)", () => {
  const readme = readFileSync(resolve(import.meta.dir, "../../../README.md"), "utf8");
  expect(readme).toContain(renderReference());
});
