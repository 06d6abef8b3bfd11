// Synthetic metric history for the fake backend (browser build, tests): a deterministic series
// per metric around its recorded recent readings (or a smooth wave for a metric nobody
// recorded), with a daily swing, occasional bursts and one gap in the middle of ranges longer
// than an hour, shaped as get_history answers it; and a rule replayed over that series as
// backtest_rule answers it. None of this is Lookout's own computation: it only looks like it.
import type { AlertEvent } from "../bindings/AlertEvent";
import type { Backtest } from "../bindings/Backtest";
import type { Channel } from "../bindings/Channel";
import type { FiringPeriod } from "../bindings/FiringPeriod";
import type { HistoryPoint } from "../bindings/HistoryPoint";
import type { HistorySeries } from "../bindings/HistorySeries";
import type { RuleConfig } from "../bindings/RuleConfig";
import type { Tier } from "../bindings/Tier";
import type { Timestamp } from "../bindings/Timestamp";
import { POWER_AC, deviceKey } from "../deviceKeys";
import { parseDuration, unitOf, type Unit } from "../format";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** As lookout-monitor: a chart never gets more points than this. */
export const MAX_POINTS = 20_000;
/** A backtest replays at most about this many readings (the fake's own shortcut). */
const BACKTEST_READINGS = 3000;
/** As lookout-core: readings further apart than this many steps break continuity. */
const GAP_TICKS = 3;
const ROLLUP_MS: Record<Exclude<Tier, "raw">, number> = { minute: MIN, quarter_hour: 15 * MIN };

const APP_FIELDS = ["running", "cpu_pct", "rss_bytes", "mem_pct", "threads", "fds", "io_read_bps", "io_write_bps", "restarts", "uptime_s"];
const FIXED_KEYS = ["cpu.total", "mem.used_pct", "mem.used_bytes", "swap.used_pct", "load.1", "load.5", "load.15", POWER_AC];

/** Whether `key` has a form Lookout accepts as a metric (lookout-core's MetricFamily::parse). */
export function isMetricKey(key: string): boolean {
  if (FIXED_KEYS.includes(key) || /^cpu\.core\.\d{1,9}$/.test(key) || deviceKey(key)) return true;
  const disk = /^disk\.(.+)\.used_pct$/.exec(key);
  if (disk) return disk[1].startsWith("/");
  if (/^net\..+\.(rx|tx)_bps$/.test(key)) return true;
  const app = /^app\.([^.]+)\.([^.]+)$/.exec(key);
  if (app) return APP_FIELDS.includes(app[2]);
  return /^temp\../.test(key);
}

const clampPoints = (points: number) => Math.min(MAX_POINTS, Math.max(1, Math.floor(points) || 1));

/** The tier get_history reads a range from (as choose_tier, with every tier holding it). */
export function chooseTier(from: Timestamp, to: Timestamp, points: number): Tier {
  const wanted = Math.floor(Math.max(1, to - from) / clampPoints(points));
  return wanted < MIN ? "raw" : wanted < 15 * MIN ? "minute" : "quarter_hour";
}

/** Each point's width: the range over `points`, a whole number of source steps (as point_width). */
export function pointWidth(from: Timestamp, to: Timestamp, points: number, sourceStep: number): number {
  const wanted = Math.ceil(Math.max(1, to - from) / clampPoints(points));
  return Math.max(1, Math.ceil(wanted / sourceStep)) * sourceStep;
}

/** Where a metric's synthetic readings sit: around `base`, `swing` either way, bursts up to `peak`. */
export type Profile = { base: number; swing: number; peak: number; ceil: number; seed: number };

const DEFAULTS: Record<Unit, [base: number, swing: number]> = {
  percent: [35, 10],
  bytes: [4 * 2 ** 30, 2 ** 30],
  rate: [250_000, 150_000],
  load: [1, 0.4],
  celsius: [50, 6],
  count: [4, 1],
  seconds: [3 * 3600, 1800],
  ms: [4, 1.5],
  flag: [1, 0],
};

/** FNV-1a of a text, as a seed. */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A number in [0, 1) fixed by `seed` and `n`. */
function mix(seed: number, n: number): number {
  let h = (seed ^ Math.imul(n | 0, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** The profile of `metric`: around its `recent` readings if there are some, else its unit's usual. */
export function profileOf(metric: string, recent: readonly number[] = []): Profile {
  const unit = unitOf(metric);
  let [base, swing] = DEFAULTS[unit];
  const seen = recent.filter(Number.isFinite);
  if (seen.length > 0) {
    const lo = Math.min(...seen);
    const hi = Math.max(...seen);
    base = seen.reduce((a, v) => a + v, 0) / seen.length;
    swing = Math.max((hi - lo) / 2, Math.abs(base) * 0.15, unit === "percent" ? 2 : 0) || swing;
  }
  const seed = hashText(metric);
  // A flag holds its usual state (its readings' more common one): 0 or 1, never in between.
  if (unit === "flag") return { base: Math.round(base), swing: 0, peak: Math.round(base), ceil: 1, seed };
  const percent = unit === "percent";
  return { base, swing, peak: percent ? Math.max(base, 97) : base + 5 * swing, ceil: percent ? 100 : Infinity, seed };
}

/** Smooth noise in [-1, 1] with a node every 20 s. */
function noise(seed: number, t: number): number {
  const x = t / 20_000;
  const i = Math.floor(x);
  const f = x - i;
  const s = f * f * (3 - 2 * f);
  return 2 * (mix(seed, i) * (1 - s) + mix(seed, i + 1) * s) - 1;
}

const BURST_SLOT = 6 * HOUR;

/** What a burst adds at `t`: some 6-hour slots hold one, 15 to 60 minutes long. */
function burst(p: Profile, t: number): number {
  const slot = Math.floor(t / BURST_SLOT);
  if (mix(p.seed ^ 0x5bd1e995, slot) >= 0.45) return 0;
  const length = (15 + 45 * mix(p.seed, slot * 7 + 1)) * MIN;
  const start = slot * BURST_SLOT + mix(p.seed, slot * 7 + 2) * (BURST_SLOT - length);
  if (t < start || t >= start + length) return 0;
  const shape = Math.min(1, 1.8 * Math.sin((Math.PI * (t - start)) / length));
  return (p.peak - p.base) * (0.45 + 0.55 * mix(p.seed, slot * 7 + 3)) * shape;
}

/** The synthetic reading at `t`: never negative, never above the unit's ceiling (100 %). */
export function valueAt(p: Profile, t: number): number {
  const phase = ((p.seed % 1000) / 1000) * 2 * Math.PI;
  const wave =
    0.55 * Math.sin((2 * Math.PI * t) / DAY + phase) +
    0.25 * Math.sin((2 * Math.PI * t) / (97 * MIN) + 3 * phase) +
    0.12 * Math.sin((2 * Math.PI * t) / (7.3 * MIN) + 5 * phase);
  const v = p.base + p.swing * (wave + 0.35 * noise(p.seed, t)) + burst(p, t);
  return Math.min(p.ceil, Math.max(0, v));
}

export type Gap = { start: number; end: number };

/** The one gap of a range: a range longer than an hour lacks a sixteenth (at least 3 steps) in its middle. */
export function gapOf(from: Timestamp, to: Timestamp, step: number): Gap | null {
  const span = to - from;
  if (span <= HOUR) return null;
  const width = Math.max(span / 16, 3 * step);
  const middle = from + span / 2;
  return { start: middle - width / 2, end: middle + width / 2 };
}

/** The readings of [t, t + width), one every `reading` ms, as min, avg and max of up to 8 of them. */
function bucket(p: Profile, t: number, width: number, reading: number): HistoryPoint {
  const n = Math.max(1, Math.min(8, Math.floor(width / reading)));
  let [min, max, sum] = [Infinity, -Infinity, 0];
  for (let i = 0; i < n; i++) {
    const v = valueAt(p, t + (i * width) / n);
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { t, min, avg: Math.min(max, Math.max(min, sum / n)), max };
}

/**
 * Points `step` wide (aligned to multiples of it) over [from, to), none after `now` and none
 * in `gap`; one point with null values marks where the gap began, as get_history does.
 */
function pointsOf(p: Profile, from: number, to: number, step: number, reading: number, gap: Gap | null, now: number): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  let gapAt: number | null = null;
  for (let t = Math.floor(from / step) * step; t < to && t <= now; t += step) {
    if (gap && t + step > gap.start && t < gap.end) {
      gapAt ??= t;
      continue;
    }
    if (gapAt !== null) out.push({ t: gapAt, min: null, avg: null, max: null });
    gapAt = null;
    out.push(bucket(p, t, step, reading));
  }
  return out;
}

/** What get_history would answer for `metric` (a checked key, a non-empty range) at `now`. */
export function syntheticHistory(
  metric: string, profile: Profile, from: Timestamp, to: Timestamp, points: number, now: Timestamp, interval = 1000,
): HistorySeries {
  const tier = chooseTier(from, to, points);
  const source = tier === "raw" ? interval : ROLLUP_MS[tier];
  const step = pointWidth(from, to, points, source);
  return { metric, from, to, tier, step_ms: step, points: pointsOf(profile, from, to, step, interval, gapOf(from, to, step), now) };
}

/** How long each tier keeps its readings (the config's storage section, in ms). */
export type Retention = { rawMs: number; minuteMs: number };

const holds = (op: RuleConfig["op"], v: number, threshold: number): boolean =>
  op === ">" ? v > threshold : op === ">=" ? v >= threshold : op === "<" ? v < threshold : v <= threshold;

/** A window's aggregate; `all` is its least favourable reading for the comparison. */
function aggregate(rule: RuleConfig, values: number[]): number {
  const above = rule.op === ">" || rule.op === ">=";
  switch (rule.aggregate) {
    case "avg":
      return values.reduce((a, v) => a + v, 0) / values.length;
    case "min":
      return Math.min(...values);
    case "max":
      return Math.max(...values);
    case "p95": {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)];
    }
    default:
      return above ? Math.min(...values) : Math.max(...values);
  }
}

/** The figure of a bucket that stands for its readings (as the real backtest over rollups). */
function representative(rule: RuleConfig, b: HistoryPoint): number {
  const above = rule.op === ">" || rule.op === ">=";
  const pick = rule.aggregate === "avg" ? b.avg : rule.aggregate === "min" || (rule.aggregate === "all" && above) ? b.min : b.max;
  return pick ?? 0;
}

const optionalMs = (text: string | null | undefined): number | null =>
  text == null || text.trim() === "" ? 0 : parseDuration(text);

type Phase =
  | { kind: "inactive" }
  | { kind: "pending"; since: number }
  | { kind: "firing"; since: number; notified: number; clearing: number | null; reminders: number };

const firing = (t: number): Phase => ({ kind: "firing", since: t, notified: t, clearing: null, reminders: 0 });

/**
 * `rule` replayed over the synthetic series of its metric on [from, to) at `now`, with the
 * window filled from before `from`; null when the rule's durations cannot be read.
 */
export function syntheticBacktest(
  rule: RuleConfig, profile: Profile, from: Timestamp, to: Timestamp, now: Timestamp, retention: Retention, interval = 1000,
): Backtest | null {
  const windowMs = parseDuration(rule.window);
  const pendingMs = optionalMs(rule.for);
  const keepMs = optionalMs(rule.keep_firing_for);
  const repeatMs = rule.repeat_every ? parseDuration(rule.repeat_every) : null;
  if (!windowMs || pendingMs === null || keepMs === null || (rule.repeat_every && !repeatMs)) return null;
  const warm = from - windowMs;
  const tier: Tier = warm >= now - retention.rawMs ? "raw" : warm >= now - retention.minuteMs ? "minute" : "quarter_hour";
  const step = pointWidth(warm, to, BACKTEST_READINGS, tier === "raw" ? interval : ROLLUP_MS[tier]);
  const feed = pointsOf(profile, warm, to, step, interval, gapOf(from, to, step), now).filter((b) => b.avg !== null);
  const clear = typeof rule.clear_threshold === "number" && Number.isFinite(rule.clear_threshold) ? rule.clear_threshold : rule.threshold;
  const minCoverage = rule.min_coverage ?? 0.9;
  const maxReminders = rule.repeat_max ?? null;

  const events: AlertEvent[] = [];
  let phase: Phase = { kind: "inactive" };
  let [first, inRange] = [0, 0];
  let [prev, lastReading]: (number | null)[] = [null, null];
  for (let i = 0; i < feed.length; i++) {
    const t = feed[i].t;
    // Time without readings counts toward neither `for` nor `keep_firing_for`.
    if (prev !== null && t - prev > GAP_TICKS * step) {
      if (phase.kind === "pending") phase = { kind: "inactive" };
      else if (phase.kind === "firing") phase.clearing = null;
    }
    prev = t;
    while (feed[first].t <= t - windowMs) first += 1;
    const values = feed.slice(first, i + 1).map((x) => representative(rule, x));
    const coverage = Math.min(1, (values.length * step) / windowMs);
    const value = coverage + 1e-9 >= minCoverage ? aggregate(rule, values) : null;
    const fires = value !== null && holds(rule.op, value, rule.threshold);
    let kind: AlertEvent["state"] | null = null;
    let since = t;
    if (phase.kind === "inactive") {
      if (fires && pendingMs === 0) [phase, kind] = [firing(t), "firing"];
      else if (fires) phase = { kind: "pending", since: t };
    } else if (phase.kind === "pending") {
      if (!fires) phase = { kind: "inactive" };
      else if (t - phase.since >= pendingMs) [phase, kind] = [firing(t), "firing"];
    } else if (value === null) {
      phase.clearing = null; // unknown is not "cleared"
    } else if (holds(rule.op, value, clear)) {
      phase.clearing = null;
      since = phase.since;
      // At most repeat_max reminders per firing period: a new firing starts a new count.
      if (repeatMs && t - phase.notified >= repeatMs && (maxReminders === null || phase.reminders < maxReminders)) {
        [phase.notified, kind] = [t, "reminder"];
        phase.reminders += 1;
      }
    } else {
      phase.clearing ??= t;
      since = phase.since;
      if (t - phase.clearing >= keepMs) [phase, kind] = [{ kind: "inactive" }, "resolved"];
    }
    if (t < from || t >= to) continue;
    inRange += 1;
    lastReading = t;
    if (kind === null) continue;
    events.push({
      rule: rule.name, state: kind, metric: rule.metric, value, threshold: rule.threshold, clear_threshold: clear,
      op: rule.op, aggregate: rule.aggregate, window: rule.window, severity: rule.severity, at: t, since, coverage,
      channels: (rule.channels ?? []).filter((c): c is Channel => c === "desktop" || c === "email"), notify: kind !== "resolved" || rule.notify_resolved,
    });
  }

  const periods: FiringPeriod[] = [];
  for (const e of events) {
    const open = periods.at(-1);
    if (e.state === "firing") periods.push({ from: e.at, to: null });
    else if (e.state === "resolved" && open && open.to === null) open.to = e.at;
    else if (e.state === "resolved") periods.push({ from, to: e.at });
  }
  if (periods.length === 0 && phase.kind === "firing") periods.push({ from, to: null });
  const measuredEnd = lastReading === null ? from : Math.min(lastReading + step, to);
  const firingMs = periods.reduce((sum, p) => sum + Math.max(0, (p.to ?? measuredEnd) - p.from), 0);
  return {
    rule: rule.name, metric: rule.metric, from, to, tier,
    approximation: tier === "raw" ? null : rule.aggregate === "avg" ? "bucket_averages" : rule.aggregate === "p95" ? "p95_from_max" : "bucket_extremes",
    events, periods,
    firings: events.filter((e) => e.state === "firing").length,
    notifications: events.filter((e) => e.notify).length,
    firing_ms: firingMs,
    coverage: Math.min(1, (inRange * step) / Math.max(1, to - from)),
  };
}
