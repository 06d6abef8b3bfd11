// Filters of the alert log view: how far back to load (the time range) and which of the
// loaded entries to show, by rule, severity and state. Pure: the view keeps the filter while
// it is open and applies it to each refresh.
import type { EventKind } from "./bindings/EventKind";
import type { LoggedAlert } from "./bindings/LoggedAlert";
import type { Severity } from "./bindings/Severity";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The time ranges to choose from, shortest first: `ms` back from now, or null for the whole
 * log. `span` names the range in the catalogs' words (the empty log's message).
 */
export const TIME_RANGES = [
  { id: "1h", span: "hour", labelId: "ui-alerts-range-1h", ms: HOUR_MS },
  { id: "24h", span: "day", labelId: "ui-alerts-range-24h", ms: DAY_MS },
  { id: "7d", span: "week", labelId: "ui-alerts-range-7d", ms: 7 * DAY_MS },
  { id: "30d", span: "month", labelId: "ui-alerts-range-30d", ms: 30 * DAY_MS },
  { id: "all", span: "all", labelId: "ui-alerts-range-all", ms: null },
] as const;

export type TimeRange = (typeof TIME_RANGES)[number];
export type TimeRangeId = TimeRange["id"];

/** The range the view opens with. */
export const DEFAULT_RANGE: TimeRangeId = "24h";

/** The range with `id` (the default one for an unknown id). */
export function timeRange(id: TimeRangeId): TimeRange {
  return TIME_RANGES.find((r) => r.id === id) ?? TIME_RANGES.find((r) => r.id === DEFAULT_RANGE)!;
}

/** The oldest instant range `id` reaches back to at `now`, or null when it takes the whole log. */
export function rangeSince(id: TimeRangeId, now: number): number | null {
  const { ms } = timeRange(id);
  return ms === null ? null : now - ms;
}

/**
 * The entries of `alerts` within range `id` at `now`, in their order. The log is loaded for
 * a range already; this keeps what shows right while another range loads, and as time passes.
 */
export function withinRange(alerts: readonly LoggedAlert[], id: TimeRangeId, now: number): LoggedAlert[] {
  const since = rangeSince(id, now);
  return since === null ? [...alerts] : alerts.filter((a) => a.event.at >= since);
}

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
