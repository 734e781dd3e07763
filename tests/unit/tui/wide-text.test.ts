// Names from senders drawn in a box: wide, combining, zero-width and emoji characters, controls
// and bidi controls take the columns that were measured, so no line overwrites a border.
import { afterEach, describe, expect, test } from "bun:test";
import { createTestRenderer, type TestRendererSetup } from "@opentui/core/testing";
import { clean, fit, seg, truncate, width } from "../../../src/tui/text.ts";
import { BoxView } from "../../../src/tui/widgets/box-view.ts";

const NAMES = [
  "日本語のホスト名テキスト長い",
  "soft\u00adhy\u00adphen\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad\u00ad",
  "v\ufe0fa\ufe0fr\ufe0fi\ufe0fa\ufe0ft\ufe0fi\ufe0fo\ufe0fn\ufe0fs\ufe0f",
  "tabs\there\tand\tthere\t\t\t",
  "👨‍👩‍👧👨‍👩‍👧👍🏽❤️🇩🇪1️⃣😀 family",
  "Z̤͔ͧ̑̓ä͖̭̈̇l̘͝g̙̓o̲͘ text e\u0301e\u0301e\u0301e\u0301",
  "\u0301\u0301leading marks\u200b\u200b\u2060\ufeff",
  "\u202eevil.exe\u2066 \u001b[2J\u001b[31mred\u0085\u009b",
  "\ud800lone surrogate\udfff",
];

let setup: TestRendererSetup | null = null;
afterEach(() => {
  setup?.renderer.destroy();
  setup = null;
});

describe("width-safe text", () => {
  test("fit gives exactly the columns asked for, whatever the name holds", () => {
    for (const name of NAMES) {
      for (const size of [1, 5, 12, 40]) {
        const out = fit(name, size);
        expect(width(out)).toBe(size);
        expect(Bun.stringWidth(out)).toBe(size);
        expect(out).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}]|\uFE0F/u);
      }
      expect(clean(clean(name))).toBe(clean(name));
    }
  });

  test("what is kept: accents composed, CJK, one emoji per sequence, flags as letters", () => {
    expect(clean("e\u0301")).toBe("é");
    expect(clean("👨‍👩‍👧 👍🏽 ❤️ 🇩🇪 1️⃣")).toBe("👨 👍 ❤ DE 1");
    expect(clean("tab\tesc\u001b[0m")).toBe("tab?esc?[0m");
    expect(clean("\u202eabc\u200b")).toBe("abc");
    expect(truncate("👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧", 5)).toBe("👨👨…");
    expect(truncate("e\u0301e\u0301e\u0301", 2)).toBe("é…");
  });

  test("a box of hostile names keeps both borders on every line", async () => {
    const boxWidth = 24;
    setup = await createTestRenderer({ width: boxWidth, height: NAMES.length + 2 });
    const box = new BoxView(setup.renderer, {
      rect: { x: 0, y: 0, width: boxWidth, height: NAMES.length + 2 },
      title: NAMES[4],
      lines: NAMES.map((name) => [seg(name), seg("|", "#ff0000")]),
    });
    setup.renderer.root.add(box);
    await setup.renderOnce();
    const lines = setup
      .captureCharFrame()
      .split("\n")
      .slice(0, NAMES.length + 2);
    for (const [i, line] of lines.entries()) {
      expect({ i, width: Bun.stringWidth(line) }).toEqual({ i, width: boxWidth });
      if (i === 0 || i === lines.length - 1) continue;
      expect({ i, first: line.at(0), last: line.at(-1) }).toEqual({ i, first: "│", last: "│" });
    }
  });
});
