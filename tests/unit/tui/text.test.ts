// Styled-text helpers: fitting into columns, clipping lines, bars, sparklines, graphs.

import { describe, expect, test } from "bun:test";
import { LIMITS } from "../../../src/client/thresholds.ts";
import {
  bar,
  clean,
  clipLine,
  fit,
  graph,
  lineText,
  lineWidth,
  sparkline,
  truncate,
} from "../../../src/tui/text.ts";

describe("fitting text", () => {
  test("truncate ends in an ellipsis and respects wide characters", () => {
    expect(truncate("postgresql", 6)).toBe("postg…");
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("日本語テキスト", 5)).toBe("日本…");
    expect(truncate("x", 0)).toBe("");
  });

  test("fit pads to exactly the width, on either side", () => {
    expect(fit("ab", 4)).toBe("ab  ");
    expect(fit("ab", 4, "right")).toBe("  ab");
    expect(fit("abcdef", 4)).toBe("abc…");
  });

  test("control characters from process names are neutralised", () => {
    expect(clean("evil\u001b[2Jname\n")).toBe("evil?[2Jname?");
  });

  test("clipLine cuts the segment that crosses the edge", () => {
    const line = [{ text: "load " }, { text: "2.41 1.87 1.02" }, { text: " more" }];
    const clipped = clipLine(line, 10);
    expect(lineWidth(clipped)).toBe(10);
    expect(lineText(clipped)).toBe("load 2.41…");
    expect(clipLine(line, 100)).toBe(line);
  });
});

describe("bars and history", () => {
  test("a bar fills eighths of a column and keeps its width", () => {
    expect(lineText(bar(50, 10, LIMITS.cpuPct))).toBe("█████░░░░░");
    expect(lineText(bar(0, 4, LIMITS.cpuPct))).toBe("░░░░");
    expect(lineText(bar(100, 4, LIMITS.cpuPct))).toBe("████");
    expect(lineText(bar(56.25, 4, LIMITS.cpuPct))).toBe("██▎░");
    expect(lineText(bar(null, 3, LIMITS.cpuPct))).toBe("···");
    for (const pct of [0, 1, 33, 66.6, 99, 100, 150])
      expect(lineWidth(bar(pct, 7, LIMITS.cpuPct))).toBe(7);
  });

  test("a sparkline shows the newest values at the right edge", () => {
    expect(sparkline([0, 50, 100], 5, 100)).toBe("  ▁▅█");
    expect(sparkline([1, 2, 3, 4, 5, 6], 3, 6)).toBe("▆▇█");
    expect(sparkline([null, 10], 2)).toBe(" █");
  });

  test("a graph spreads the scale over its rows", () => {
    const rows = graph([0, 25, 50, 100], 4, 2, 100);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toBe("   █");
    expect(rows[1]).toBe("▁▄██");
    expect(graph([1], 3, 1, 1)).toEqual(["  █"]);
  });
});
