// Builds one self-contained hwm executable per OS/arch into dist/, with the web dashboard inside,
// the TUI where OpenTUI ships a native library for the target, and SHA256SUMS.
// Usage: bun scripts/build.ts [--targets linux-x64,linux-arm64] [--outdir dist]
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pkg from "../package.json" with { type: "json" };

export const TARGETS = [
  "linux-x64",
  "linux-x64-baseline",
  "linux-arm64",
  "darwin-arm64",
  "darwin-x64",
  "windows-x64",
] as const;
type Target = (typeof TARGETS)[number];

const ROOT = resolve(import.meta.dir, "..");

/** OpenTUI's native package for a target: "@opentui/core-<os>-<arch>". */
function opentuiNative(target: Target): string {
  const [os, arch] = target.replace("-baseline", "").split("-");
  return `@opentui/core-${os === "windows" ? "win32" : os}-${arch}`;
}

/** Every OpenTUI native package name, so the ones we do not have are left out of the bundle. */
const OPENTUI_NATIVES = [
  "linux-x64",
  "linux-arm64",
  "linux-x64-musl",
  "linux-arm64-musl",
  "darwin-x64",
  "darwin-arm64",
  "win32-x64",
  "win32-arm64",
].map((t) => `@opentui/core-${t}`);

/** True when the target's native package is installed at the version @opentui/core wants. */
function hasTui(target: Target): boolean {
  const corePkg = join(ROOT, "node_modules/@opentui/core/package.json");
  const nativePkg = join(ROOT, "node_modules", opentuiNative(target), "package.json");
  if (!existsSync(corePkg) || !existsSync(nativePkg)) return false;
  const core = JSON.parse(readFileSync(corePkg, "utf8")) as { version: string };
  const native = JSON.parse(readFileSync(nativePkg, "utf8")) as { version: string };
  return core.version === native.version;
}

function gitCommit(): string {
  const git = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { cwd: ROOT });
  if (git.exitCode !== 0) return "unknown";
  const dirty = Bun.spawnSync(["git", "status", "--porcelain", "--untracked-files=no"], {
    cwd: ROOT,
  })
    .stdout.toString()
    .trim();
  return `${git.stdout.toString().trim()}${dirty ? "-dirty" : ""}`;
}

export interface BuiltTarget {
  target: Target;
  file: string;
  bytes: number;
  tui: boolean;
}

export async function build(target: Target, outdir: string, commit: string): Promise<BuiltTarget> {
  const tui = hasTui(target);
  const file = join(outdir, `hwm-${target}${target.startsWith("windows") ? ".exe" : ""}`);
  const externals = OPENTUI_NATIVES.filter((p) => !(tui && p === opentuiNative(target)));
  const args = [
    "build",
    "--compile",
    `--target=bun-${target}`,
    "--bytecode",
    "--format=esm",
    // Each lazily imported part (terminal dashboard, receiver, systeminformation) is its own
    // chunk inside the executable, loaded only when imported: a sender's RSS is 2.5-3.5 MB
    // lower and it starts ~25 ms sooner (docs/BENCHMARKS.md).
    "--splitting",
    "--minify",
    "--sourcemap=none",
    "--no-compile-autoload-dotenv",
    "--no-compile-autoload-bunfig",
    `--define=HWM_BUILD_VERSION=${JSON.stringify(pkg.version)}`,
    `--define=HWM_BUILD_COMMIT=${JSON.stringify(commit)}`,
    // Without a native library the TUI cannot load; it says so at run time and the node runs headless.
    ...(tui ? [] : ["--external=@opentui/core"]),
    ...externals.map((e) => `--external=${e}`),
    "src/main.ts",
    "--outfile",
    file,
  ];
  const proc = Bun.spawn([process.execPath, ...args], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0)
    throw new Error(`bun build for ${target} failed (exit ${code}):\n${stderr || stdout}`);
  return { target, file, bytes: statSync(file).size, tui };
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      targets: { type: "string", default: TARGETS.join(",") },
      outdir: { type: "string", default: "dist" },
    },
  });
  const wanted = (values.targets ?? "").split(",").filter((t) => t !== "");
  const unknown = wanted.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0) {
    console.error(`unknown target(s) ${unknown.join(", ")}; known: ${TARGETS.join(", ")}`);
    process.exit(2);
  }
  const outdir = resolve(ROOT, values.outdir ?? "dist");
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const commit = gitCommit();
  const built: BuiltTarget[] = [];
  for (const target of wanted as Target[]) {
    const startedMs = performance.now();
    process.stdout.write(`building ${target} … `);
    const result = await build(target, outdir, commit);
    built.push(result);
    console.log(
      `${(result.bytes / 1e6).toFixed(1)} MB, TUI ${result.tui ? "yes" : "no"}, ${((performance.now() - startedMs) / 1000).toFixed(1)} s`,
    );
  }
  writeFileSync(
    join(outdir, "SHA256SUMS"),
    built.map((b) => `${sha256(b.file)}  ${basename(b.file)}\n`).join(""),
  );
  console.log(`\nhwm ${pkg.version} (${commit}) in ${outdir}:\n`);
  console.log("| target | file | size | TUI |\n| --- | --- | --- | --- |");
  for (const b of built) {
    console.log(
      `| ${b.target} | ${basename(b.file)} | ${(b.bytes / 1e6).toFixed(1)} MB | ${b.tui ? "yes" : "no (headless only)"} |`,
    );
  }
  console.log("\nSHA256SUMS written.");
}
