// Filters of the alert log view: which of the loaded entries to show, by rule, severity and
// state. Pure: the view keeps the filter while it is open and applies it to each refresh.
import type { EventKind } from "./bindings/EventKind";
import type { LoggedAlert } from "./bindings/LoggedAlert";
import type { Severity } from "./bindings/Severity";

/** The severities to choose from, in the order the select lists them. */
export const SEVERITIES: readonly Severity[] = ["warning", "critical"];

/** The states to choose from, in the order an alert goes through them. */
export const STATES: readonly EventKind[] = ["pending", "firing", "reminder", "resolved", "gave_up"];

/** What to show; `null` and "all" let every entry through. */
export type AlertFilter = {
  /** A rule name, as logged. */
  rule: string | null;
  severity: Severity | "all";
  state: EventKind | "all";
};

/** The filter that hides nothing. */
export const NO_FILTER: Readonly<AlertFilter> = Object.freeze({ rule: null, severity: "all", state: "all" });

/** Whether `filter` can hide an entry. */
export function isFiltering(filter: AlertFilter): boolean {
  return filter.rule !== null || filter.severity !== "all" || filter.state !== "all";
}

/** Whether entry `a` passes `filter`. */
export function matchesFilter(a: LoggedAlert, filter: AlertFilter): boolean {
  const e = a.event;
  return (
    (filter.rule === null || e.rule === filter.rule) &&
    (filter.severity === "all" || e.severity === filter.severity) &&
    (filter.state === "all" || e.state === filter.state)
  );
}

/** The entries of `alerts` that pass `filter`, in their order. */
export function filterAlerts(alerts: readonly LoggedAlert[], filter: AlertFilter): LoggedAlert[] {
  return isFiltering(filter) ? alerts.filter((a) => matchesFilter(a, filter)) : [...alerts];
}

/**
 * The rule names to choose from: each name in `alerts` once, sorted. A `selected` rule that
 * the entries no longer name (another time range, an older entry gone) stays listed, so the
 * select keeps showing what filters the log.
 */
export function ruleOptions(alerts: readonly LoggedAlert[], selected: string | null = null): string[] {
  const names = new Set(alerts.map((a) => a.event.rule));
  if (selected !== null) names.add(selected);
  return [...names].sort((a, b) => a.localeCompare(b) || (a < b ? -1 : a > b ? 1 : 0));
}
