// The fleet page's keys: `/` focuses the filter (unless typing somewhere), arrow keys move
// between cards as the eye sees them (left and right to the previous and next card, up and down
// to the card above or below in the grid as laid out, the nearest one in the next row) and
// between table rows, Enter on a row opens its host (a card is a link: Enter opens it anyway).
import type { RefObject } from "preact";
import { useEffect } from "preact/hooks";
import { hostHref } from "./router.ts";

type Arrow = "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown";

function isArrow(key: string): key is Arrow {
  return key === "ArrowLeft" || key === "ArrowRight" || key === "ArrowUp" || key === "ArrowDown";
}

const centerX = (r: DOMRect) => r.left + r.width / 2;

/** The item to move to from `from` in a grid laid out left to right, top to bottom; null: none. */
function inGrid<T extends Element>(items: readonly T[], from: T, arrow: Arrow): T | null {
  const at = items.indexOf(from);
  if (at < 0) return null;
  if (arrow === "ArrowLeft") return items[at - 1] ?? null;
  if (arrow === "ArrowRight") return items[at + 1] ?? null;
  const here = from.getBoundingClientRect();
  const down = arrow === "ArrowDown";
  // The row next to this one: the items wholly below (or above), the closest of them.
  const beyond = items
    .map((el) => ({ el, r: el.getBoundingClientRect() }))
    .filter(({ r }) => (down ? r.top >= here.bottom - 1 : r.bottom <= here.top + 1));
  if (beyond.length === 0) return null;
  const rowTop = down
    ? Math.min(...beyond.map(({ r }) => r.top))
    : Math.max(...beyond.map(({ r }) => r.top));
  let best: { el: T; dx: number } | null = null;
  for (const { el, r } of beyond) {
    if (Math.abs(r.top - rowTop) > 1) continue;
    const dx = Math.abs(centerX(r) - centerX(here));
    if (!best || dx < best.dx) best = { el, dx };
  }
  return best?.el ?? null;
}

/** The row to move to from `from` in a list of rows; null: none. */
function inList<T>(items: readonly T[], from: T, arrow: Arrow): T | null {
  const at = items.indexOf(from);
  if (at < 0) return null;
  if (arrow === "ArrowUp") return items[at - 1] ?? null;
  if (arrow === "ArrowDown") return items[at + 1] ?? null;
  return null;
}

/** Typing goes to this element: `/` is a character there, not a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

/** `/` anywhere on the page (but in a text field) puts the cursor in `filter`, its text selected. */
export function useSlashToFilter(filter: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      event.preventDefault();
      filter.current?.focus();
      filter.current?.select();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [filter]);
}

/** On the list of cards: arrows move the focus as the grid is laid out. */
export function onCardKey(event: KeyboardEvent): void {
  const from = (event.target as Element).closest("a.card");
  if (!from || !isArrow(event.key)) return;
  const cards = [...(event.currentTarget as Element).querySelectorAll("a.card")];
  const to = inGrid(cards, from, event.key) as HTMLElement | null;
  if (!to) return;
  event.preventDefault();
  to.focus();
}

/** On the table's body: up and down move between rows, Enter opens the row's host. */
export function onRowKey(event: KeyboardEvent): void {
  const from = (event.target as Element).closest<HTMLElement>("tr.host-row");
  if (!from) return;
  if (event.key === "Enter" && from === event.target) {
    location.hash = hostHref(from.dataset.host ?? "");
    return;
  }
  if (!isArrow(event.key)) return;
  const rows = [...(event.currentTarget as Element).querySelectorAll<HTMLElement>("tr.host-row")];
  const to = inList(rows, from, event.key);
  if (!to) return;
  event.preventDefault();
  to.focus();
}
