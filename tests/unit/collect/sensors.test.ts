// hwmon and thermal-zone temperatures: labels, odd values, fallbacks, and a chip that hangs.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import {
  chipSensors,
  milliCelsius,
  readThermalZones,
  SensorReader,
  tempIndexes,
  uniqueLabels,
} from "../../../src/collect/linux/sensors.ts";
import { FIRECRACKER_VM, HANDMADE, NODE_EXPORTER, tempTree, withRealSymlinks } from "./fixtures.ts";

describe("sensor parsing", () => {
  test("millidegrees to °C; absurd and unreadable values are dropped", () => {
    expect(milliCelsius("55000\n")).toBe(55);
    expect(milliCelsius("-5500")).toBe(-5.5);
    expect(milliCelsius("-128000")).toBeNull();
    expect(milliCelsius("255000")).toBeNull();
    expect(milliCelsius(null)).toBeNull();
    expect(milliCelsius("")).toBeNull();
  });

  test("temp<N>_input indexes in numeric order", () => {
    expect(
      tempIndexes(["temp10_input", "temp2_input", "temp1_label", "fan1_input", "temp1_input"]),
    ).toEqual([1, 2, 10]);
  });

  test("labels: the label file, else '<chip> temp<N>'; limits of 0 are 'not set'", () => {
    expect(
      chipSensors("nct6798", [
        { index: 1, input: "38000", label: "SYSTIN\n", max: "80000", crit: "0" },
        { index: 5, input: "41500", label: null, max: null, crit: null },
      ]),
    ).toEqual([
      { label: "SYSTIN", chip: "nct6798", celsius: 38, max_celsius: 80, crit_celsius: null },
      {
        label: "nct6798 temp5",
        chip: "nct6798",
        celsius: 41.5,
        max_celsius: null,
        crit_celsius: null,
      },
    ]);
  });

  test("duplicate chip + label pairs get a number", () => {
    const s = { chip: "coretemp", celsius: 50, max_celsius: null, crit_celsius: null };
    expect(
      uniqueLabels([
        { ...s, label: "Core 0" },
        { ...s, label: "Core 0" },
        { ...s, label: "Core 0", chip: "k10temp" },
        { ...s, label: "Core 0" },
      ]).map((x) => x.label),
    ).toEqual(["Core 0", "Core 0 #2", "Core 0", "Core 0 #3"]);
  });
});

describe("SensorReader", () => {
  test("node_exporter's eleven hwmon chips: temperatures of the six that have any", async () => {
    const sysfs = `${withRealSymlinks(NODE_EXPORTER)}/sys`;
    const sensors = await new SensorReader(sysfs).read();
    expect(sensors.map((s) => `${s.chip}/${s.label}`)).toEqual([
      "coretemp/Physical id 0",
      "coretemp/Core 0",
      "coretemp/Core 1",
      "coretemp/Core 2",
      "coretemp/Core 3",
      // coretemp.1 repeats coretemp.0's labels.
      "coretemp/Physical id 0 #2",
      "coretemp/Core 0 #2",
      "coretemp/Core 1 #2",
      "coretemp/Core 2 #2",
      "coretemp/Core 3 #2",
      // hwmon4 has no name file, and labels both inputs "foosensor".
      "hwmon4/foosensor",
      "hwmon4/foosensor #2",
      "mt7996_phy0_0/mt7996_phy0_0 temp1",
      "mt7996_phy0_1/mt7996_phy0_1 temp1",
      "mt7996_phy0_2/mt7996_phy0_2 temp1",
    ]);
    expect(sensors[0]).toEqual({
      label: "Physical id 0",
      chip: "coretemp",
      celsius: 55,
      max_celsius: 84,
      crit_celsius: 100,
    });
  });

  test("absurd, unreadable and unlabelled inputs; attributes on device/ (old kernels)", async () => {
    const sensors = await new SensorReader(`${HANDMADE}/hwmon-odd/sys`).read();
    expect(sensors).toEqual([
      { label: "SYSTIN", chip: "nct6798", celsius: 38, max_celsius: 80, crit_celsius: null },
      // temp2 reads -128 °C, temp3 255 °C, temp4_input cannot be read: all left out.
      {
        label: "nct6798 temp5",
        chip: "nct6798",
        celsius: 41.5,
        max_celsius: null,
        crit_celsius: null,
      },
      {
        label: "nct6798 temp6",
        chip: "nct6798",
        celsius: 30,
        max_celsius: null,
        crit_celsius: null,
      },
      { label: "it87 temp1", chip: "it87", celsius: 52, max_celsius: null, crit_celsius: 95 },
      { label: "Composite", chip: "nvme", celsius: 44.85, max_celsius: 84.85, crit_celsius: 84.85 },
      { label: "Sensor 1", chip: "nvme", celsius: 39.85, max_celsius: null, crit_celsius: null },
    ]);
  });

  test("no hwmon temperatures: the thermal zones instead", async () => {
    const sensors = await new SensorReader(`${HANDMADE}/thermal-only/sys`).read();
    expect(sensors.map((s) => [s.label, s.celsius])).toEqual([
      ["acpitz", 27.8],
      ["x86_pkg_temp", 45],
      ["acpitz #2", 16.8],
    ]);
    expect(await readThermalZones(`${HANDMADE}/empty-hwmon/sys`)).toEqual([]);
  });

  test("no sensors at all (a VM, an empty hwmon class): an empty list, at once", () => {
    // Synchronous: no promise and no timer for a machine that has nothing to read.
    expect(new SensorReader(`${FIRECRACKER_VM}/sys`).read()).toEqual([]);
    expect(new SensorReader(`${HANDMADE}/empty-hwmon/sys`).read()).toEqual([]);
  });

  test("a chip whose read hangs (an I2C bus) is given up after its timeout; the others are kept", async () => {
    const root = tempTree({
      "sys/class/hwmon/hwmon0/name": "stuck_i2c\n",
      "sys/class/hwmon/hwmon1/name": "k10temp\n",
      "sys/class/hwmon/hwmon1/temp1_input": "48125\n",
      "sys/class/hwmon/hwmon1/temp1_label": "Tctl\n",
    });
    // A FIFO with no writer blocks its reader, as a hung sensor driver does.
    const fifo = `${root}/sys/class/hwmon/hwmon0/temp1_input`;
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = new SensorReader(`${root}/sys`);
    try {
      let t0 = performance.now();
      const first = await reader.read();
      expect(first.map((s) => s.label)).toEqual(["Tctl"]);
      expect(performance.now() - t0).toBeLessThan(1_900);
      // The stuck chip is skipped while its read is still pending: no pile-up, no new wait.
      t0 = performance.now();
      expect((await reader.read()).map((s) => s.label)).toEqual(["Tctl"]);
      expect(performance.now() - t0).toBeLessThan(500);
    } finally {
      // Release the blocked read so no thread is left hanging.
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    }
  });
});
