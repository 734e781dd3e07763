// The column helpers the /proc parsers share.
import { describe, expect, test } from "bun:test";
import { fields, lineEnd, uintAt, uintColumns, wordAt } from "../../../src/collect/linux/text.ts";

describe("text helpers", () => {
  test("fields: runs of spaces and tabs collapse", () => {
    expect(fields("  a \t b  c ")).toEqual(["a", "b", "c"]);
  });

  test("uintColumns: numbers without a string per column; anything else is NaN", () => {
    const line = "   8       0 sda 4 12a\t99";
    expect(uintColumns(line, 0, line.length)).toEqual([8, 0, Number.NaN, 4, Number.NaN, 99]);
    expect(uintColumns("1 2 3 4", 2, 5)).toEqual([2, 3]);
    expect(uintColumns("    ", 0, 4)).toEqual([]);
    expect(uintColumns("18446744073709551615", 0, 20)).toEqual([Number("18446744073709551615")]);
  });

  test("uintAt: skips blanks, stops at the first non-digit", () => {
    expect(uintAt("MemTotal:       16318480 kB", 9)).toBe(16318480);
    expect(uintAt("x: kB", 2)).toBeNaN();
    expect(uintAt("7", 0)).toBe(7);
  });

  test("wordAt: the n-th word of a range", () => {
    const line = " 259  0 nvme0n1 1 2";
    expect(wordAt(line, 0, line.length, 2)).toBe("nvme0n1");
    expect(wordAt(line, 0, line.length, 0)).toBe("259");
    expect(wordAt(line, 0, line.length, 9)).toBeUndefined();
  });

  test("lineEnd: the newline, or the end of a last line without one", () => {
    expect(lineEnd("ab\ncd", 0)).toBe(2);
    expect(lineEnd("ab\ncd", 3)).toBe(5);
  });
});
