// The custom section from a real textfile directory: files merged, a bad file refused with one
// error naming its line while the others count, caps, re-reads only of changed files, and the
// result re-exported on /metrics as promtool accepts it.
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { MAX_TEXTFILE_BYTES, TextfileReader } from "../../../src/custom/textfile.ts";
import { renderMetrics } from "../../../src/metrics/prometheus.ts";
import { CustomSchema, PROTOCOL_CAPS, type Snapshot } from "../../../src/protocol/index.ts";
import { externalTool } from "../../helpers/tools.ts";

const promtool = externalTool("promtool", "prometheus", "the promtool check of custom metrics");
const root = mkdtempSync(join(tmpdir(), "hwm-textfile-"));
let dir: string;
let n = 0;
beforeEach(() => {
  dir = join(root, `d${++n}`);
  mkdirSync(dir);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

const BACKUP = `# HELP backup_last_success_timestamp_seconds When the last backup succeeded.
# TYPE backup_last_success_timestamp_seconds gauge
backup_last_success_timestamp_seconds{job="nightly"} 1764720000
`;
const APT = `# HELP apt_upgrades_pending Packages waiting for an upgrade.
# TYPE apt_upgrades_pending gauge
apt_upgrades_pending{origin="Debian:bookworm-security",arch="amd64"} 2
apt_upgrades_pending{origin="Debian:bookworm",arch="amd64"} 0
# TYPE job_seconds histogram
job_seconds_bucket{le="1"} 1
job_seconds_bucket{le="+Inf"} 2
job_seconds_sum 3.5
job_seconds_count 2
`;

describe("reading the directory", () => {
  test("every *.prom file, merged; other files ignored", async () => {
    write("backup.prom", BACKUP);
    write("apt.prom", APT);
    write("notes.txt", "not metrics");
    const custom = await new TextfileReader(dir).read();
    expect(v.safeParse(CustomSchema, custom).issues).toBeUndefined();
    expect(custom.dir).toBe(dir);
    expect(custom.files.map((f) => [f.file, f.samples, f.error])).toEqual([
      ["apt.prom", 6, null],
      ["backup.prom", 1, null],
    ]);
    expect(custom.files[0]?.mtime_ms).toBeGreaterThan(0);
    expect(custom.families.map((f) => [f.name, f.type])).toEqual([
      ["apt_upgrades_pending", "gauge"],
      ["job_seconds", "histogram"],
      ["backup_last_success_timestamp_seconds", "gauge"],
    ]);
    expect(custom.families[0]?.samples[0]).toEqual({
      name: "apt_upgrades_pending",
      labels: { origin: "Debian:bookworm-security", arch: "amd64" },
      value: 2,
    });
  });

  test("NaN and infinities travel as text, as JSON cannot carry them", async () => {
    write("x.prom", "a NaN\nb +Inf\nc -Inf\n");
    const custom = await new TextfileReader(dir).read();
    expect(custom.families.map((f) => f.samples[0]?.value)).toEqual(["NaN", "+Inf", "-Inf"]);
    expect(JSON.parse(JSON.stringify(custom))).toEqual(custom);
  });

  test("no directory configured: an empty section", async () => {
    expect(await new TextfileReader(null).read()).toEqual({ dir: null, files: [], families: [] });
  });

  test("a directory that is missing fails the section, saying which", async () => {
    await expect(new TextfileReader(join(dir, "nope")).read()).rejects.toThrow(
      `cannot list the textfile directory ${join(dir, "nope")}: no such file or directory`,
    );
  });
});

describe("a bad file: one error naming it, the others still count", () => {
  test.each([
    ["syntax", "ok 1\nbroken{ 1\n", "line 2: expected a label name or '}', found \"1\""],
    [
      "timestamps",
      "ok 1 1700000000000\n",
      "line 1: explicit timestamps are not supported (node_exporter's textfile collector refuses them too)",
    ],
    [
      "hwm's prefix",
      "hwm_up 1\n",
      'line 1: "hwm_up": the hwm_ prefix is kept for hwm\'s own metrics',
    ],
    ["not UTF-8", Buffer.from([0x61, 0x20, 0x31, 0x0a, 0xff, 0xfe]), "not valid UTF-8 text"],
  ])("%s", async (_, content, error) => {
    write("backup.prom", BACKUP);
    writeFileSync(join(dir, "bad.prom"), content);
    const custom = await new TextfileReader(dir).read();
    expect(custom.files).toEqual([
      { file: "backup.prom", mtime_ms: expect.any(Number), samples: 1, error: null },
      { file: "bad.prom", mtime_ms: expect.any(Number), samples: 0, error },
    ]);
    expect(custom.families.map((f) => f.name)).toEqual(["backup_last_success_timestamp_seconds"]);
  });

  test("a conflict with an earlier file: a type (none is untyped), a series", async () => {
    write("a.prom", BACKUP);
    write(
      "b.prom",
      "# TYPE backup_last_success_timestamp_seconds counter\nbackup_last_success_timestamp_seconds 1\n",
    );
    write("c.prom", 'backup_last_success_timestamp_seconds{job="nightly"} 2\n');
    write(
      "d.prom",
      '# TYPE backup_last_success_timestamp_seconds gauge\nbackup_last_success_timestamp_seconds{job="nightly"} 2\n',
    );
    const custom = await new TextfileReader(dir).read();
    expect(custom.files.map((f) => f.error)).toEqual([
      null,
      '"backup_last_success_timestamp_seconds" is a counter here but a gauge in a.prom',
      '"backup_last_success_timestamp_seconds" is an untyped here but a gauge in a.prom',
      'line 2: backup_last_success_timestamp_seconds{job="nightly"} is given by a.prom too',
    ]);
  });

  test("same family in two files with other labels: merged", async () => {
    write("a.prom", BACKUP);
    write(
      "b.prom",
      '# TYPE backup_last_success_timestamp_seconds gauge\nbackup_last_success_timestamp_seconds{job="weekly"} 5\n',
    );
    const custom = await new TextfileReader(dir).read();
    expect(custom.families).toHaveLength(1);
    expect(custom.families[0]?.samples.map((s) => s.labels.job)).toEqual(["nightly", "weekly"]);
  });

  test("too large, too many samples, unreadable, a directory named *.prom", async () => {
    write("a-big.prom", `# ${"x".repeat(MAX_TEXTFILE_BYTES)}\n`);
    const many = Array.from({ length: PROTOCOL_CAPS.customSamples + 1 }, (_, i) => `m{i="${i}"} 1`);
    write("b-many.prom", `${many.join("\n")}\n`);
    write("c-locked.prom", "x 1\n");
    chmodSync(join(dir, "c-locked.prom"), 0);
    mkdirSync(join(dir, "d-dir.prom"));
    write("e-fine.prom", "fine 1\n");
    const custom = await new TextfileReader(dir).read();
    const errors = Object.fromEntries(custom.files.map((f) => [f.file, f.error]));
    expect(errors["a-big.prom"]).toBe("larger than 1024 KiB");
    expect(errors["b-many.prom"]).toBe(
      `its ${PROTOCOL_CAPS.customSamples + 1} samples would pass the limit of ${PROTOCOL_CAPS.customSamples} over all files`,
    );
    // root reads any file: the permission check only holds for other users.
    if (process.getuid?.() !== 0)
      expect(errors["c-locked.prom"]).toBe("cannot read: permission denied");
    expect(errors["d-dir.prom"]).toBe("not a regular file");
    expect(errors["e-fine.prom"]).toBeNull();
  });
});

describe("caching", () => {
  test("a file is parsed again only when its size or mtime changes", async () => {
    write("a.prom", "a 1\n");
    const reader = new TextfileReader(dir);
    const first = await reader.read();
    const second = await reader.read();
    expect(second.families[0]?.samples).toEqual(first.families[0]?.samples);
    write("a.prom", "a 2\n");
    utimesSync(join(dir, "a.prom"), new Date(), new Date(Date.now() + 5_000));
    expect((await reader.read()).families[0]?.samples[0]?.value).toBe(2);
  });
});

describe("on /metrics", () => {
  const snapshot = (custom: Snapshot["custom"]): Snapshot => ({
    v: 1,
    host: "pve",
    ts_ms: 1,
    uptime_s: 1,
    custom,
  });

  test("re-exported with HELP and TYPE, file metrics beside; promtool accepts it", async () => {
    write("backup.prom", BACKUP);
    write("apt.prom", APT);
    write("bad.prom", "oops{\n");
    write("nohelp.prom", 'temp_celsius{room="a \\"b\\"\\\\c"} NaN\n');
    const custom = await new TextfileReader(dir).read();
    const text = renderMetrics([{ labels: {}, info: null, snapshot: snapshot(custom) }]);
    expect(text).toContain(
      '# HELP apt_upgrades_pending Packages waiting for an upgrade.\n# TYPE apt_upgrades_pending gauge\napt_upgrades_pending{origin="Debian:bookworm-security",arch="amd64"} 2\n',
    );
    expect(text).toContain('job_seconds_bucket{le="+Inf"} 2\n');
    expect(text).toContain('temp_celsius{room="a \\"b\\"\\\\c"} NaN\n');
    expect(text).toContain('hwm_custom_file_error{file="bad.prom"} 1\n');
    expect(text).toContain('hwm_custom_file_error{file="apt.prom"} 0\n');
    expect(text).toMatch(/hwm_custom_file_mtime_seconds\{file="apt.prom"\} \d+/);
    if (!promtool.skip) {
      const check = Bun.spawnSync([promtool.path(), "check", "metrics"], {
        stdin: new TextEncoder().encode(text),
      });
      expect(check.stdout.toString() + check.stderr.toString()).toBe("");
    }
  });

  test("on a receiver: each host's samples under one family, a sample's own host label kept as exported_host", () => {
    const family = (value: number, labels: Record<string, string>) => ({
      dir: "/x",
      files: [],
      families: [
        {
          name: "jobs",
          type: "gauge" as const,
          help: "Jobs.",
          samples: [{ name: "jobs", labels, value }],
        },
      ],
    });
    const text = renderMetrics([
      { labels: { host: "a" }, info: null, snapshot: snapshot(family(1, { host: "inner" })) },
      { labels: { host: "b" }, info: null, snapshot: snapshot(family(2, {})) },
      // A host label and an exported_host label: nothing to name it, so left out.
      {
        labels: { host: "c" },
        info: null,
        snapshot: snapshot(family(3, { host: "x", exported_host: "y" })),
      },
    ]);
    expect(text).toContain(
      '# TYPE jobs gauge\njobs{host="a",exported_host="inner"} 1\njobs{host="b"} 2\n',
    );
    expect(text).not.toContain('jobs{host="c"');
    if (!promtool.skip) {
      const check = Bun.spawnSync([promtool.path(), "check", "metrics"], {
        stdin: new TextEncoder().encode(text),
      });
      expect(check.stdout.toString() + check.stderr.toString()).toBe("");
    }
  });

  test("a host whose family has another type than the first host's is left out of it", () => {
    const custom = (type: "gauge" | "counter") => ({
      dir: "/x",
      files: [],
      families: [
        {
          name: "jobs_total",
          type,
          help: null,
          samples: [{ name: "jobs_total", labels: {}, value: 1 }],
        },
      ],
    });
    const text = renderMetrics([
      { labels: { host: "a" }, info: null, snapshot: snapshot(custom("counter")) },
      { labels: { host: "b" }, info: null, snapshot: snapshot(custom("gauge")) },
    ]);
    expect(text).toContain('# TYPE jobs_total counter\njobs_total{host="a"} 1\n');
    expect(text).not.toContain('jobs_total{host="b"}');
  });
});
