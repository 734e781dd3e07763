// Which hosts a rule watches: each entry of `hosts` is an exact id or a pattern where "*" stands
// for any characters ("pve-*", "*-db", "*").

/** A test for host ids built once per rule; every other character is taken literally. */
export function hostMatcher(patterns: readonly string[]): (hostId: string) => boolean {
  const exact = new Set<string>();
  const wildcards: RegExp[] = [];
  for (const pattern of patterns) {
    if (!pattern.includes("*")) {
      exact.add(pattern);
      continue;
    }
    const body = pattern
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    wildcards.push(new RegExp(`^${body}$`, "s"));
  }
  return (hostId) => exact.has(hostId) || wildcards.some((re) => re.test(hostId));
}
