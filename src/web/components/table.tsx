/** @jsxImportSource preact */
// A table sortable by every column: click a header (or focus it and press Enter) to sort,
// again to reverse. Numbers sort descending first, words ascending; unknown values ("—") stay last
// either way.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { SortHeader } from "./sort-header.tsx";

export interface Column<Row> {
  key: string;
  label: string;
  /** What the column sorts by. */
  value: (row: Row) => number | string | null;
  render?: (row: Row) => ComponentChildren;
  numeric?: boolean;
  /** A lesser column: hidden where the table is narrow (a phone), so the rest fits. */
  minor?: boolean;
  /** Said on hover over the header: what the label is short for. */
  hint?: string;
}

/** The cell classes a column asks for. */
function cellClass<Row>(c: Column<Row>): string | undefined {
  return [c.numeric ? "num" : "", c.minor ? "minor" : ""].join(" ").trim() || undefined;
}

interface Sort {
  key: string;
  ascending: boolean;
}

function compare(a: number | string, b: number | string): number {
  if (a === b) return 0;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

export function SortableTable<Row>(props: {
  label: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  initialSort?: Sort;
  testId?: string;
}) {
  const [sort, setSort] = useState<Sort | null>(props.initialSort ?? null);
  const column = props.columns.find((c) => c.key === sort?.key);
  const rows = column
    ? [...props.rows].sort((x, y) => {
        const a = column.value(x);
        const b = column.value(y);
        if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
        const order = compare(a, b);
        return sort?.ascending ? order : -order;
      })
    : props.rows;

  const toggle = (c: Column<Row>) =>
    setSort(
      sort?.key === c.key
        ? { key: c.key, ascending: !sort.ascending }
        : { key: c.key, ascending: !c.numeric },
    );

  return (
    <div class="table-wrap">
      <table data-testid={props.testId}>
        <caption class="sr-only">{props.label}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <SortHeader
                  key={c.key}
                  column={c.key}
                  label={c.label}
                  class={cellClass(c)}
                  title={c.hint}
                  direction={active ? (sort.ascending ? "ascending" : "descending") : null}
                  onSort={() => toggle(c)}
                />
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            // Rows are patched in place by position, never moved: live data re-sorts every second,
            // and moving keyed rows was seen to leave stale cells behind (Preact 11.2).
            <tr data-key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td key={c.key} class={cellClass(c)}>
                  {c.render ? c.render(row) : (c.value(row) ?? "—")}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
