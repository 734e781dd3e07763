// External programs some tests check our output with (promtool, tmux, systemd-analyze, ...).
// Under CI, where .ci/run installs them, a missing one fails its tests; elsewhere those tests
// are skipped and the reason is printed, so a missing tool never passes for a passing test.

export interface ExternalTool {
  /** True outside CI when the tool is missing: skip the tests that need it (the reason is printed). */
  readonly skip: boolean;
  /** Its path; throws, failing the test, when it is missing (under CI). */
  path(): string;
}

/**
 * The first of `names` on PATH. `aptPackage` is what installs it; `needs` says which checks go
 * without it, for the printed reason.
 */
export function externalTool(
  names: string | readonly string[],
  aptPackage: string,
  needs: string,
): ExternalTool {
  const candidates = typeof names === "string" ? [names] : names;
  const found = candidates.map((n) => Bun.which(n)).find((p) => p !== null) ?? null;
  const name = candidates[0] ?? "";
  const missing = `${name} is not installed (apt-get install ${aptPackage})`;
  const skip = found === null && !process.env.CI;
  if (skip) console.warn(`skipped: ${needs}: ${missing}`);
  return {
    skip,
    path() {
      if (found === null)
        throw new Error(`${missing}; .ci/run installs it, so under CI it must be there`);
      return found;
    },
  };
}
