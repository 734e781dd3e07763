// Keys and clicks as pure state changes: selection, drill-down and back, sorting, filters, help.
import { describe, expect, test } from "bun:test";
import {
  INITIAL_UI,
  type KeyInput,
  onClick,
  onKey,
  onWheel,
  reconcile,
  type ScreenFacts,
  type UiState,
} from "../../../src/tui/state.ts";

const facts: ScreenFacts = {
  kind: "receiver",
  hostIds: ["a", "b", "c", "d", "e"],
  knownIds: ["a", "b", "c", "d", "e"],
  fleetRows: 3,
  procRows: 4,
  procTotal: 10,
};

function key(name: string, extra: Partial<KeyInput> = {}): KeyInput {
  return { name, ctrl: false, meta: false, sequence: name.length === 1 ? name : "", ...extra };
}

function press(ui: UiState, ...names: string[]): UiState {
  return names.reduce((state, name) => onKey(state, key(name), facts), ui);
}

const start = reconcile(INITIAL_UI, facts);

describe("fleet view", () => {
  test("the first host is selected; arrows move and scroll the selection", () => {
    expect(start.selectedId).toBe("a");
    const down = press(start, "down", "down", "down");
    expect(down.selectedId).toBe("d");
    expect(down.fleetOffset).toBe(1);
    expect(press(down, "up", "up", "up", "up").selectedId).toBe("a");
    expect(press(start, "end").selectedId).toBe("e");
    expect(press(start, "j", "k", "j").selectedId).toBe("b");
  });

  test("Enter opens the selected host, Esc goes back", () => {
    const open = press(start, "down", "return");
    expect(open.view).toBe("host");
    expect(open.openId).toBe("b");
    const back = press(open, "escape");
    expect(back.view).toBe("fleet");
    expect(back.selectedId).toBe("b");
  });

  test("/ types a filter, Esc while typing restores the old one, Esc after clears it", () => {
    const typing = press(start, "/", "w", "e", "b");
    expect(typing.editing?.draft).toBe("web");
    expect(typing.fleetFilter).toBe("web");
    expect(press(typing, "escape").fleetFilter).toBe("");
    const kept = press(typing, "backspace", "return");
    expect(kept.fleetFilter).toBe("we");
    expect(kept.editing).toBeNull();
    expect(press(kept, "escape").fleetFilter).toBe("");
  });

  test("q typed into a filter is text, not quit", () => {
    const typing = press(start, "/", "q");
    expect(typing.quit).toBe(false);
    expect(typing.fleetFilter).toBe("q");
    expect(press(start, "q").quit).toBe(true);
    expect(onKey(typing, key("c", { ctrl: true }), facts).quit).toBe(true);
  });

  test("a click selects a host, a click on the selected one opens it", () => {
    const selected = onClick(start, { kind: "host", id: "c" });
    expect(selected.selectedId).toBe("c");
    expect(selected.view).toBe("fleet");
    expect(onClick(selected, { kind: "host", id: "c" }).view).toBe("host");
  });

  test("a host that left the fleet closes its view and moves the selection", () => {
    const open = press(start, "down", "return");
    const gone = reconcile(open, { ...facts, hostIds: ["a"], knownIds: ["a"] });
    expect(gone.view).toBe("fleet");
    expect(gone.selectedId).toBe("a");
  });
});

describe("host view", () => {
  const open = press(start, "return");

  test("c m p n sort; the same key again reverses", () => {
    expect(open.sort).toEqual({ key: "cpu", descending: true });
    expect(press(open, "m").sort).toEqual({ key: "mem", descending: true });
    expect(press(open, "p").sort).toEqual({ key: "pid", descending: false });
    expect(press(open, "n", "n").sort).toEqual({ key: "name", descending: true });
    expect(press(open, "c").sort).toEqual({ key: "cpu", descending: false });
    expect(onClick(open, { kind: "sort", key: "pid" }).sort.key).toBe("pid");
  });

  test("arrows and the wheel scroll the processes within bounds", () => {
    expect(press(open, "down", "down").procOffset).toBe(2);
    expect(press(open, "end").procOffset).toBe(6);
    expect(press(open, "up").procOffset).toBe(0);
    expect(onWheel(open, { kind: "processes" }, true, facts).procOffset).toBe(3);
  });

  test("sort keys do nothing in the fleet view", () => {
    expect(press(start, "m").sort.key).toBe("cpu");
  });

  test("a sender has no fleet: it always shows its one host, Esc stays", () => {
    const senderFacts = { ...facts, kind: "sender" as const, hostIds: ["pve"], knownIds: ["pve"] };
    const ui = reconcile(INITIAL_UI, senderFacts);
    expect(ui.view).toBe("host");
    expect(ui.openId).toBe("pve");
    expect(onKey(ui, key("escape"), senderFacts).view).toBe("host");
  });
});

describe("help", () => {
  test("? opens it and any key or click closes it without acting", () => {
    const help = press(start, "?");
    expect(help.help).toBe(true);
    const closed = press(help, "q");
    expect(closed.help).toBe(false);
    expect(closed.quit).toBe(false);
    expect(onClick(help, { kind: "host", id: "c" }).selectedId).toBe("a");
  });
});

describe("graph scale", () => {
  test("the recorded hour first; g switches to live and back, in either view", () => {
    expect(start.graphScale).toBe("recorded");
    const live = press(start, "g");
    expect(live.graphScale).toBe("live");
    expect(press(live, "g").graphScale).toBe("recorded");
    const host = press(start, "return", "g");
    expect(host.view).toBe("host");
    expect(host.graphScale).toBe("live");
  });

  test("g typed into a filter is text", () => {
    const typing = press(start, "/", "g");
    expect(typing.graphScale).toBe("recorded");
    expect(typing.fleetFilter).toBe("g");
  });
});
