// The version and commit this build reports (`hwm --version`, HostInfo.hwm_version).
// scripts/build.ts replaces these through --define; running from source reads package.json.
import pkg from "../package.json" with { type: "json" };

declare const HWM_BUILD_VERSION: string | undefined;
declare const HWM_BUILD_COMMIT: string | undefined;

export const VERSION: string =
  typeof HWM_BUILD_VERSION === "string" ? HWM_BUILD_VERSION : pkg.version;
export const COMMIT: string = typeof HWM_BUILD_COMMIT === "string" ? HWM_BUILD_COMMIT : "source";
