/** @jsxImportSource preact */
// A table sortable by every column: click a header (or focus it and press Enter) to sort,
// again to reverse. Numbers sort descending first, words ascending.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";

export interface Column<Row> {
  key: string;
  label: string;
  /** What the column sorts by. */
  value: (row: Row) => number | string | null;
  render?: (row: Row) => ComponentChildren;
  numeric?: boolean;
}

interface Sort {
  key: string;
  ascending: boolean;
}

function compare(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
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
        const order = compare(column.value(x), column.value(y));
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
                <th
                  key={c.key}
                  scope="col"
                  class={c.numeric ? "num" : undefined}
                  aria-sort={active ? (sort.ascending ? "ascending" : "descending") : undefined}
                >
                  <button type="button" class="sort" data-column={c.key} onClick={() => toggle(c)}>
                    {c.label}
                    <span aria-hidden="true" class="arrow">
                      {active ? (sort.ascending ? " ▲" : " ▼") : ""}
                    </span>
                  </button>
                </th>
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
                <td key={c.key} class={c.numeric ? "num" : undefined}>
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
