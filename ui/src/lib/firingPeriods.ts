// When each rule was firing, read from the alert log for the overview's charts: firing events
// paired with the resolutions of the same rule (pure), the part of them a chart of some
// metrics over a span of time shows, which were firing at a point (the hover readout), and
// the periods in words for screen readers.
import type { LoggedAlert } from "./bindings/LoggedAlert";
import type { RuleStatus } from "./bindings/RuleStatus";
import type { Severity } from "./bindings/Severity";
import type { Timestamp } from "./bindings/Timestamp";
import { pointTime } from "./historyChart";
import { t } from "./i18n.svelte";
import { severityLabel } from "./labels";

/** How many alert log entries the overview reads for a chart range (newest first). */
export const ALERT_LOG_LIMIT = 2000;

/** One period a rule was firing: from when it started to when it resolved (null: still firing). */
export type AlertPeriod = { rule: string; metric: string; severity: Severity; from: Timestamp; to: Timestamp | null };

/** A rule the latest tick shows firing, and since when. */
export type FiringNow = { rule: string; metric: string; severity: Severity; since: Timestamp };

/** The rules of a tick that are firing, in the shape firingPeriods() takes. */
export function firingNow(rules: readonly RuleStatus[]): FiringNow[] {
  return rules.flatMap((r) =>
    r.phase.phase === "firing" ? [{ rule: r.name, metric: r.metric, severity: r.severity, since: r.phase.since }] : [],
  );
}

/**
 * The firing periods in `log` (the alert log, newest first, as get_alerts answers) of the
 * rules named in `known` (a rule the config no longer has is left out), oldest first.
 *
 * An event's `since` is when the firing began (for firing, reminder and resolved events), so:
 * a `firing` event starts a period at its `since`; the next `resolved` event of the same rule
 * ends it at its `at` (a firing while the period is open, its resolution missing from the log,
 * changes nothing). A reminder starts nothing, but opens the period at its `since` when the
 * firing is older than the log read; a resolution without its firing in the log likewise gives
 * the period from its `since`. `pending` and `gave_up` events change nothing (giving up an
 * action leaves the rule firing). A period still open at the end runs on (to null); so does
 * one for each rule of `now` (firing at the latest tick) the log holds no open period of.
 */
export function firingPeriods(log: readonly LoggedAlert[], known: Iterable<string>, now: readonly FiringNow[] = []): AlertPeriod[] {
  const rules = new Set(known);
  const events = log
    .filter((a) => rules.has(a.event.rule))
    .sort((a, b) => a.event.at - b.event.at || a.id - b.id)
    .map((a) => a.event);
  const open = new Map<string, AlertPeriod>();
  const out: AlertPeriod[] = [];
  for (const e of events) {
    const start = Math.min(e.since, e.at);
    const current = open.get(e.rule);
    switch (e.state) {
      case "firing":
      case "reminder":
        if (!current) open.set(e.rule, { rule: e.rule, metric: e.metric, severity: e.severity, from: start, to: null });
        break;
      case "resolved":
        if (current) {
          open.delete(e.rule);
          out.push({ ...current, to: Math.max(current.from, e.at) });
        } else out.push({ rule: e.rule, metric: e.metric, severity: e.severity, from: start, to: e.at });
        break;
      default:
        break;
    }
  }
  for (const f of now) {
    if (rules.has(f.rule) && !open.has(f.rule))
      open.set(f.rule, { rule: f.rule, metric: f.metric, severity: f.severity, from: f.since, to: null });
  }
  out.push(...open.values());
  return out.sort((a, b) => a.from - b.from || a.rule.localeCompare(b.rule));
}

/** A period as one chart shows it: `from` and `to` clipped to the chart's span, `began` and `ended` as they were. */
export type ChartPeriod = {
  rule: string;
  metric: string;
  severity: Severity;
  from: Timestamp;
  /** Null: still firing (shaded to the chart's right edge). */
  to: Timestamp | null;
  began: Timestamp;
  ended: Timestamp | null;
};

/**
 * The periods of rules on one of `metrics` that overlap [from, to], clipped to it, in time
 * order. A period still firing keeps `to` null.
 */
export function chartPeriods(periods: readonly AlertPeriod[], metrics: readonly string[], from: Timestamp, to: Timestamp): ChartPeriod[] {
  const out: ChartPeriod[] = [];
  for (const p of periods) {
    if (!metrics.includes(p.metric) || p.from > to || (p.to !== null && p.to < from)) continue;
    out.push({
      rule: p.rule, metric: p.metric, severity: p.severity,
      from: Math.max(from, p.from), to: p.to === null ? null : Math.min(to, p.to),
      began: p.from, ended: p.to,
    });
  }
  return out.sort((a, b) => a.from - b.from || a.rule.localeCompare(b.rule));
}

/** The rules firing at `ms` among `periods`, each named once, in the periods' order. */
export function firingAt(periods: readonly ChartPeriod[], ms: Timestamp): string[] {
  const names = periods.filter((p) => p.from <= ms && (p.to === null || ms <= p.to)).map((p) => p.rule);
  return [...new Set(names)];
}

/** A period in words: "CPU saturated (critical): Jan 5, 10:02 to Jan 5, 10:05". */
export function periodText(p: ChartPeriod, seconds: boolean): string {
  const step = seconds ? 0 : 60_000;
  const args = { rule: p.rule, severity: severityLabel(p.severity), from: pointTime(p.began, step) };
  return p.ended === null ? t("ui-firing-period-open", args) : t("ui-firing-period", { ...args, to: pointTime(p.ended, step) });
}
