// Settings of the runtime that it reads only from the environment, at start-up: a node (the
// long-running default command) starts itself again once, in place (same PID, same arguments),
// with them set. A value the user set is kept. Both target what a node does about once a second:
// wake for one request, answer it, go idle. docs/BENCHMARKS.md (Sender) has the measurements.

/**
 * - MIMALLOC_PURGE_HOLES_MIN_INTERVAL: Bun's allocator walks every page of a thread's heap each
 *   time the thread goes idle, to give free holes back to the kernel, and the pages it gave back
 *   fault in again on the next request: ~0.3 ms of CPU per request at one request a second.
 *   Once a minute still returns the memory; every 10 s (tried first) still purged between the
 *   history recorder's polls, 10 s apart, and cost them ~0.25 ms each.
 * - BUN_GC_TIMER_INTERVAL: Bun's timer starts a garbage collection every second while the heap
 *   grows (~1 ms each, after every few requests). JavaScriptCore still collects whenever
 *   allocation calls for it; the timer only adds collections nothing needed. At 30 s (tried
 *   first) a sender polled every 10 s still collected every third request, and lost JIT code
 *   with it: 5 min saves ~0.7 ms per poll at that pace, with the same RSS.
 * - BUN_JSC_useFTLJIT=0: JavaScriptCore's fourth tier (FTL) is for long hot loops; a node's
 *   code runs briefly once a second, where the third tier (DFG) already has nearly all of the
 *   gain. Without it the JIT spends less CPU in the first minutes, and the FTL compiler's code
 *   is never paged in (−1.7 MB RSS against a sender's 50 MB budget).
 */
export const RUNTIME_ENV: Readonly<Record<string, string>> = {
  MIMALLOC_PURGE_HOLES_MIN_INTERVAL: "60000",
  BUN_GC_TIMER_INTERVAL: "300000",
  BUN_JSC_useFTLJIT: "0",
};

/** The environment to start again with, or null when every setting is already there. */
export function withRuntimeEnv(env: NodeJS.ProcessEnv): Record<string, string> | null {
  const missing = Object.entries(RUNTIME_ENV).filter(([name]) => env[name] === undefined);
  if (missing.length === 0) return null;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  for (const [name, value] of missing) out[name] = value;
  return out;
}

/**
 * Replaces this process with itself under the settings (execve: the PID, open descriptors and
 * arguments stay), unless they are set already. Call before any output and before listening.
 * Where execve is not available (Windows) the node simply runs without them.
 */
export function restartWithRuntimeEnv(): void {
  const env = withRuntimeEnv(process.env);
  if (env === null || process.platform === "win32" || typeof process.execve !== "function") return;
  // From source, bun needs its own flags and the script again; a compiled binary only the arguments.
  const script = Bun.isStandaloneExecutable ? [] : [process.argv[1] ?? Bun.main];
  const args = [process.execPath, ...process.execArgv, ...script, ...process.argv.slice(2)];
  try {
    process.execve(process.execPath, args, env);
  } catch {
    // Not fatal: the settings save CPU, nothing depends on them.
  }
}
