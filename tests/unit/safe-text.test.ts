// Text from other machines: controls and bidi characters neutralised in the values the receiver
// keeps, escaped in log lines, with everything else (accents, CJK, emoji) left alone.
import { describe, expect, test } from "bun:test";
import { formatLine } from "../../src/log.ts";
import { escapeUnsafe, safeDeep, safeText } from "../../src/safe-text.ts";

const HOSTILE = "evil\u001b[2J\u202egpj.exe\u2066x\u2069\nnext\u0085\u009b31m\u007f\u2028";

describe("safeText", () => {
  test("controls become ?, bidi controls go, the rest stays", () => {
    expect(safeText(HOSTILE)).toBe("evil?[2Jgpj.exex?next??31m??");
    expect(safeText("\u200fשלום\u200e \u061c")).toBe("שלום ");
    const fine = "café 日本語 👨‍👩‍👧 🇩🇪 e\u0301 a\u200db";
    expect(safeText(fine)).toBe(fine);
  });

  test("safeDeep cleans every string of a decoded value, keys too, and keeps numbers", () => {
    const value = {
      hostname: "pve\u001b]0;owned\u0007",
      disks: [{ mount: "/mnt/\u202eatad", total_bytes: 5 }],
      errors: { "sensors\n": "timeout\u001b[31m" },
      load: [0.5, null, 1],
      nested: [["\u2067deep"]],
    };
    expect(safeDeep(value) as unknown).toEqual({
      hostname: "pve?]0;owned?",
      disks: [{ mount: "/mnt/atad", total_bytes: 5 }],
      errors: { "sensors?": "timeout?[31m" },
      load: [0.5, null, 1],
      nested: [["deep"]],
    });
    expect(safeDeep("\u001b")).toBe("\u001b"); // only containers are changed in place
  });

  test("escapeUnsafe keeps the facts for logs", () => {
    expect(escapeUnsafe("a\u202eb\u001bc")).toBe("a\\u202eb\\u001bc");
  });
});

describe("log lines", () => {
  test("a value cannot end the line, drive the terminal or reorder the text", () => {
    const line = formatLine("warn", "host status", {
      host: "pve\u202egpj",
      error: "boom\u001b[2J\nwarn forged line\u2028",
      plain: "ok",
    });
    expect(line).not.toMatch(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u);
    expect(line).toContain('host="pve\\u202egpj"');
    expect(line).toContain('error="boom\\u001b[2J\\nwarn forged line\\u2028"');
    expect(line).toEndWith(" plain=ok");
    expect(formatLine("info", "msg\u001b[1A")).toEndWith(" info msg\\u001b[1A");
  });
});
