// withRuntimeEnv: which runtime settings a node restarts itself with; the user's own values win.
import { describe, expect, test } from "bun:test";
import { RUNTIME_ENV, withRuntimeEnv } from "../../src/commands/runtime-env.ts";

describe("the runtime's start-up settings", () => {
  test("missing settings are added to the environment, which is otherwise kept", () => {
    const env = withRuntimeEnv({ PATH: "/bin", HWM_TOKEN: "t" });
    expect(env).toEqual({ PATH: "/bin", HWM_TOKEN: "t", ...RUNTIME_ENV });
  });

  test("a value the user set wins", () => {
    const env = withRuntimeEnv({ MIMALLOC_PURGE_HOLES_MIN_INTERVAL: "500" });
    expect(env?.MIMALLOC_PURGE_HOLES_MIN_INTERVAL).toBe("500");
    expect(env?.BUN_GC_TIMER_INTERVAL).toBe(RUNTIME_ENV.BUN_GC_TIMER_INTERVAL);
  });

  test("nothing to do once every setting is there: the restarted process does not restart", () => {
    expect(withRuntimeEnv({ ...RUNTIME_ENV })).toBeNull();
    expect(withRuntimeEnv({ ...RUNTIME_ENV, MIMALLOC_PURGE_HOLES_MIN_INTERVAL: "0" })).toBeNull();
  });
});
