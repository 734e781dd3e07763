/** @jsxImportSource preact */
// A column header that sorts: a button (click, or focus and Enter), the direction in aria-sort
// for screen readers and as an arrow for the eye.
export type Direction = "ascending" | "descending";

export function SortHeader(props: {
  column: string;
  label: string;
  /** The cell's classes (num, minor, …). */
  class?: string;
  /** Said on hover: what the label is short for. */
  title?: string;
  /** null: the table is not sorted by this column. */
  direction: Direction | null;
  onSort: () => void;
}) {
  const arrow = props.direction === null ? "" : props.direction === "ascending" ? " ▲" : " ▼";
  return (
    <th
      scope="col"
      class={props.class}
      title={props.title}
      aria-sort={props.direction ?? undefined}
    >
      <button type="button" class="sort" data-column={props.column} onClick={props.onSort}>
        {props.label}
        <span aria-hidden="true" class="arrow">
          {arrow}
        </span>
      </button>
    </th>
  );
}
