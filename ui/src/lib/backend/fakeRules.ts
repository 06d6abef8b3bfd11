// A simplified rule evaluator for the fake backend: aggregate over the window, coverage,
// inactive -> pending -> firing -> resolved. The real state machine lives in lookout-core.
import type { AlertEvent } from "../bindings/AlertEvent";
import type { AlertPhase } from "../bindings/AlertPhase";
import type { Aggregate } from "../bindings/Aggregate";
import type { Op } from "../bindings/Op";
import type { RuleConfig } from "../bindings/RuleConfig";
import type { RuleStatus } from "../bindings/RuleStatus";
import type { Timestamp } from "../bindings/Timestamp";
import type { SeriesStore } from "../ring";
import { parseDuration } from "./fakeValidate";

export function compare(value: number, op: Op, threshold: number): boolean {
  switch (op) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
  }
}

/** The aggregate of `values`; for "all" the least favourable sample for the comparison. */
export function aggregate(values: number[], how: Aggregate, op: Op): number | null {
  if (values.length === 0) return null;
  switch (how) {
    case "avg":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "min":
      return Math.min(...values);
    case "max":
      return Math.max(...values);
    case "p95": {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
    }
    case "all":
      return op === ">" || op === ">=" ? Math.min(...values) : Math.max(...values);
  }
}

const ms = (text: string | null | undefined) => {
  const d = text == null ? 0 : parseDuration(text);
  return typeof d === "number" ? d : 0;
};

export class FakeRuleEngine {
  private phases = new Map<string, AlertPhase>();

  /** Forgets rules that are gone (after a config change). */
  retain(names: string[]): void {
    for (const name of [...this.phases.keys()]) if (!names.includes(name)) this.phases.delete(name);
  }

  evaluate(
    rules: RuleConfig[],
    history: SeriesStore,
    now: Timestamp,
    intervalMs: number,
  ): { statuses: RuleStatus[]; events: AlertEvent[] } {
    const statuses: RuleStatus[] = [];
    const events: AlertEvent[] = [];
    for (const rule of rules) {
      const windowMs = ms(rule.window);
      const samples = history.get(rule.metric)?.toArrays() ?? { times: [], values: [] };
      const inWindow = samples.values.filter((_, i) => samples.times[i] > now - windowMs);
      const expected = Math.max(1, Math.floor(windowMs / intervalMs));
      const coverage = Math.min(1, inWindow.length / expected);
      const known = coverage >= (rule.min_coverage ?? 0.9);
      const value = known ? aggregate(inWindow, rule.aggregate, rule.op) : null;
      let phase = this.phases.get(rule.name) ?? { phase: "inactive" };
      const event = (state: AlertEvent["state"], since: Timestamp, notify: boolean) =>
        events.push({
          rule: rule.name, state, metric: rule.metric, value, threshold: rule.threshold,
          clear_threshold: rule.clear_threshold ?? rule.threshold, op: rule.op,
          aggregate: rule.aggregate, window: rule.window, severity: rule.severity, at: now,
          since, coverage, channels: [], notify,
        });
      if (!rule.enabled) phase = { phase: "inactive" };
      else if (value !== null) {
        const holds = compare(value, rule.op, rule.threshold);
        const cleared = !compare(value, rule.op, rule.clear_threshold ?? rule.threshold);
        if (phase.phase === "inactive" && holds) {
          phase = { phase: "pending", since: now };
          event("pending", now, false);
        }
        if (phase.phase === "pending") {
          if (!holds) phase = { phase: "inactive" };
          else if (now - phase.since >= ms(rule.for)) {
            phase = { phase: "firing", since: phase.since, last_notified: now, clearing_since: null };
            event("firing", phase.since, true);
          }
        } else if (phase.phase === "firing" && cleared) {
          event("resolved", phase.since, rule.notify_resolved);
          phase = { phase: "inactive" };
        }
      }
      this.phases.set(rule.name, phase);
      statuses.push({
        name: rule.name, metric: rule.metric, severity: rule.severity, enabled: rule.enabled,
        phase, value, coverage, snoozed_until: null,
      });
    }
    return { statuses, events };
  }
}
