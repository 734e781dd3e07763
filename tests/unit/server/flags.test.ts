// Unknown flags are usage errors with a suggestion; known ones, negations and values pass.
import { expect, test } from "bun:test";
import { checkFlags } from "../../../src/commands/flags.ts";
import { runArgs } from "../../../src/commands/run-args.ts";
import { UsageError } from "../../../src/config/errors.ts";

test("known flags, --no-tui and values pass", () => {
  expect(() =>
    checkFlags(
      ["--role", "sender", "--no-tui", "--listen=127.0.0.1:0", "--interval-ms", "500"],
      runArgs,
    ),
  ).not.toThrow();
});

test("unknown flags throw a UsageError naming each, with a hint when one is close", () => {
  let error: unknown;
  try {
    checkFlags(["--rol", "sender", "--frobnicate"], runArgs);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UsageError);
  const message = (error as Error).message;
  expect(message).toContain("--rol: unknown flag; did you mean --role?");
  expect(message).toContain("--frobnicate: unknown flag");
  expect(message).not.toContain("--frobnicate: unknown flag; did you mean");
});
