// Each rule's state in words for the Overview: how long until a pending rule fires, since when
// one fires or clears, whether it is silenced, and when an inactive one last fired. Pure: the
// current time, the config and the alert log are passed in.
import type { LoggedAlert } from "./bindings/LoggedAlert";
import type { QuietHoursConfig } from "./bindings/QuietHoursConfig";
import type { RuleConfig } from "./bindings/RuleConfig";
import type { RuleStatus } from "./bindings/RuleStatus";
import type { Timestamp } from "./bindings/Timestamp";
import { formatRelative, formatSpan, formatTime, parseDuration } from "./format";
import { t } from "./i18n.svelte";

/** What the sentences need besides the rule's status. */
export interface RuleStateContext {
  now: Timestamp;
  /** The rule's config (matched by name), for its `for`. */
  config?: RuleConfig | null;
  /** When the rule last fired, from the alert log. */
  lastFired?: Timestamp | null;
  quietHours?: QuietHoursConfig | null;
}

/** When each rule last fired or was reminded of, newest wins whatever the log's order. */
export function lastFiredByRule(log: readonly LoggedAlert[]): Map<string, Timestamp> {
  const out = new Map<string, Timestamp>();
  for (const { event } of log) {
    if (event.state !== "firing" && event.state !== "reminder") continue;
    const seen = out.get(event.rule);
    if (seen === undefined || event.at > seen) out.set(event.rule, event.at);
  }
  return out;
}

/** Adds the firings seen live (a rule firing now fired at its `since`) to `known`, in place;
 *  true when anything changed. */
export function noteFirings(known: Map<string, Timestamp>, rules: readonly RuleStatus[]): boolean {
  let changed = false;
  for (const r of rules) {
    if (r.phase.phase !== "firing") continue;
    const seen = known.get(r.name);
    if (seen === undefined || r.phase.since > seen) {
      known.set(r.name, r.phase.since);
      changed = true;
    }
  }
  return changed;
}

function minutesOf(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

/** When the quiet hours now in force end (local time), or null when they are not in force. */
export function quietHoursEnd(quiet: QuietHoursConfig | null | undefined, now: Timestamp): Timestamp | null {
  if (!quiet?.enabled) return null;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === null || end === null || start === end) return null;
  const d = new Date(now);
  const cur = d.getHours() * 60 + d.getMinutes();
  const inside = start < end ? cur >= start && cur < end : cur >= start || cur < end;
  if (!inside) return null;
  const until = new Date(d.getFullYear(), d.getMonth(), d.getDate(), Math.floor(end / 60), end % 60);
  if (end <= cur) until.setDate(until.getDate() + 1);
  return until.getTime();
}

/** A countdown: to the second under an hour ("4 min 10 s"), else as formatSpan. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60 || s >= 3600 || s % 60 === 0) return formatSpan(s * 1000);
  return t("ui-rule-state-span-minutes-seconds", { min: Math.floor(s / 60), s: s % 60 });
}

/** The rule's state in words, one sentence a line: its phase, then whether it is silenced. */
export function ruleStateLines(rule: RuleStatus, ctx: RuleStateContext): string[] {
  const { now } = ctx;
  const lines: string[] = [];
  const p = rule.phase;
  if (p.phase === "pending") {
    const forMs = ctx.config?.for ? parseDuration(ctx.config.for) : null;
    const left = forMs === null ? null : forMs - (now - p.since);
    lines.push(
      left !== null && left >= 1000
        ? t("ui-rule-state-pending-in", { span: formatCountdown(left) })
        : t("ui-rule-state-pending-due", { span: formatSpan(now - p.since) }),
    );
  } else if (p.phase === "firing") {
    lines.push(t("ui-rule-state-firing", { time: formatTime(p.since, now), span: formatSpan(now - p.since) }));
    if (p.clearing_since !== null)
      lines.push(t("ui-rule-state-clearing", { time: formatTime(p.clearing_since, now), span: formatSpan(now - p.clearing_since) }));
  } else if (ctx.lastFired != null) {
    lines.push(t("ui-rule-state-last-fired", { ago: formatRelative(ctx.lastFired, now) }));
  }
  if (!rule.enabled) return lines;
  if (rule.snoozed_until !== null && rule.snoozed_until > now) {
    lines.push(t("ui-rule-state-snoozed", { time: formatTime(rule.snoozed_until, now) }));
  } else {
    const quietEnd = quietHoursEnd(ctx.quietHours, now);
    if (quietEnd !== null && (rule.severity !== "critical" || ctx.quietHours?.mute_critical))
      lines.push(t("ui-rule-state-quiet", { time: formatTime(quietEnd, now) }));
  }
  return lines;
}
