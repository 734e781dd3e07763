// The type of a command's flags as citty hands them over, derived from its argument definitions,
// so that a flag is written once (its definition) and typed everywhere it is read.
import type { ArgsDef } from "citty";

/** A boolean flag as boolean, any other as its text; undefined when not given. */
export type FlagValues<A extends ArgsDef> = {
  readonly [K in keyof A]?: A[K]["type"] extends "boolean" ? boolean : string;
};
