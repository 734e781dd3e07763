// The fixture helpers themselves: node_exporter's tree is in the repository, and withRealSymlinks
// gives real links from a tree that stores them as files as well as from one that has them.
import { describe, expect, test } from "bun:test";
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative, resolve } from "node:path";
import { makeTempDir, NODE_EXPORTER, tempTree, withRealSymlinks } from "./fixtures.ts";

const REPO = resolve(import.meta.dir, "../../..");

describe("fixture trees", () => {
  test("node_exporter's tree is inside the repository, with its licence and notice", () => {
    expect(relative(REPO, NODE_EXPORTER).startsWith("..")).toBe(false);
    expect(readFileSync(join(NODE_EXPORTER, "LICENSE"), "utf8")).toContain("Apache License");
    expect(readFileSync(join(NODE_EXPORTER, "NOTICE"), "utf8")).toContain("Prometheus Authors");
    expect(readdirSync(NODE_EXPORTER)).toEqual(expect.arrayContaining(["proc", "sys", "usr"]));
  });
});

describe("withRealSymlinks", () => {
  test("links stored as files become real links; data files stay data", () => {
    const root = tempTree({
      "sys/devices/platform/coretemp.0/hwmon/hwmon0/name": "coretemp\n",
      "sys/class/hwmon/hwmon0": "../../devices/platform/coretemp.0/hwmon/hwmon0",
      "proc/10/stat": "10 (x) S\n",
      "proc/self": "10",
    });
    const mirror = withRealSymlinks(root);
    expect(lstatSync(join(mirror, "sys/class/hwmon/hwmon0")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(mirror, "sys/class/hwmon/hwmon0/name"), "utf8")).toBe("coretemp\n");
    expect(readlinkSync(join(mirror, "proc/self"))).toBe("10");
    expect(readFileSync(join(mirror, "proc/self/stat"), "utf8")).toBe("10 (x) S\n");
  });

  test("real symlinks are copied as links, relative targets and links to directories included", () => {
    const root = makeTempDir("real-links");
    mkdirSync(join(root, "sys/devices/virtual/thermal/thermal_zone0"), { recursive: true });
    writeFileSync(join(root, "sys/devices/virtual/thermal/thermal_zone0/temp"), "42000\n");
    mkdirSync(join(root, "sys/class/thermal"), { recursive: true });
    symlinkSync(
      "../../devices/virtual/thermal/thermal_zone0",
      join(root, "sys/class/thermal/thermal_zone0"),
    );
    // A link to a file, and one that dangles (sysfs has those: a driver's missing module).
    symlinkSync("thermal_zone0/temp", join(root, "sys/class/thermal/temp-link"));
    symlinkSync("../../nowhere", join(root, "sys/class/thermal/dangling"));

    const mirror = withRealSymlinks(root);
    const zone = join(mirror, "sys/class/thermal/thermal_zone0");
    expect(readlinkSync(zone)).toBe("../../devices/virtual/thermal/thermal_zone0");
    expect(readFileSync(join(zone, "temp"), "utf8")).toBe("42000\n");
    expect(readlinkSync(join(mirror, "sys/class/thermal/temp-link"))).toBe("thermal_zone0/temp");
    expect(readlinkSync(join(mirror, "sys/class/thermal/dangling"))).toBe("../../nowhere");
  });

  test("node_exporter's hwmon links resolve into its devices", () => {
    const mirror = withRealSymlinks(NODE_EXPORTER);
    const hwmon0 = join(mirror, "sys/class/hwmon/hwmon0");
    expect(lstatSync(hwmon0).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(hwmon0, "name"), "utf8").trim()).toBe("coretemp");
  });
});
