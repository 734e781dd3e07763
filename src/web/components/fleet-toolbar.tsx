/** @jsxImportSource preact */
// The fleet's toolbar: the filter (`/` focuses it), which hosts to show, the cards' order, and
// the switch between cards and table.
import type { Ref } from "preact";
import { FLEET_ORDERS } from "../../client/fleet-order.ts";
import { FLEET_VIEWS, type FleetSettings, type FleetView, SHOWS } from "../fleet-settings.ts";

/** A labelled drop-down of one setting's choices. */
function Choice<K extends string>(props: {
  label: string;
  value: K;
  options: Record<K, string>;
  onChange: (value: K) => void;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as K)}>
        {(Object.entries(props.options) as [K, string][]).map(([key, label]) => (
          <option key={key} value={key}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FleetToolbar(props: {
  query: string;
  onQuery: (query: string) => void;
  filterRef: Ref<HTMLInputElement>;
  settings: FleetSettings;
  view: FleetView;
  onSettings: (settings: FleetSettings) => void;
  onView: (view: FleetView) => void;
}) {
  const { settings } = props;
  return (
    <div class="toolbar">
      <label class="field grow">
        <span class="sr-only">Filter hosts</span>
        <input
          ref={props.filterRef}
          type="search"
          placeholder="Filter by name, OS, CPU… (press /)"
          aria-keyshortcuts="/"
          value={props.query}
          onInput={(e) => props.onQuery(e.currentTarget.value)}
        />
      </label>
      <Choice
        label="Show"
        value={settings.show}
        options={SHOWS}
        onChange={(show) => props.onSettings({ ...settings, show })}
      />
      {/* The table sorts by its headers. */}
      {props.view === "cards" && (
        <Choice
          label="Sort"
          value={settings.sort}
          options={FLEET_ORDERS}
          onChange={(sort) => props.onSettings({ ...settings, sort })}
        />
      )}
      <fieldset class="view-switch">
        <legend class="sr-only">View</legend>
        {(Object.keys(FLEET_VIEWS) as FleetView[]).map((view) => (
          <button
            key={view}
            type="button"
            class="segment"
            data-view={view}
            aria-pressed={props.view === view}
            onClick={() => props.onView(view)}
          >
            {FLEET_VIEWS[view]}
          </button>
        ))}
      </fieldset>
    </div>
  );
}
