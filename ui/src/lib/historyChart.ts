// The overview's chart ranges and the shaping of recorded history for uPlot: HistorySeries
// joined into aligned columns (average, and the min–max band of rollups), gaps kept as gaps,
// the threshold lines of the rules that watch a chart's metrics, the y range, the hover
// readout and the axis labels. Pure: the chart components only draw what this returns.
import type { HistorySeries } from "./bindings/HistorySeries";
import type { Op } from "./bindings/Op";
import type { RuleConfig } from "./bindings/RuleConfig";
import type { Severity } from "./bindings/Severity";
import type { Timestamp } from "./bindings/Timestamp";
import { formatCondition, formatLevel, formatMetric, formatNumber, unitOf } from "./format";
import { dateTimeFormat, t } from "./i18n.svelte";
import { metricLabel } from "./labels";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The ranges the overview's charts show, shortest first; the first is the live view. */
export const CHART_RANGES = [
  { id: "10m", labelId: "ui-history-range-10m", ms: 10 * MIN },
  { id: "1h", labelId: "ui-history-range-1h", ms: HOUR },
  { id: "24h", labelId: "ui-history-range-24h", ms: DAY },
  { id: "7d", labelId: "ui-history-range-7d", ms: 7 * DAY },
  { id: "30d", labelId: "ui-history-range-30d", ms: 30 * DAY },
] as const;

export type ChartRange = (typeof CHART_RANGES)[number];
export type ChartRangeId = ChartRange["id"];

/** The live range: recent readings and every tick, from the window's own rings. */
export const LIVE_RANGE: ChartRangeId = "10m";
/** How many points a history chart asks for (about one per two pixels of a wide chart). */
export const HISTORY_POINTS = 600;

/** The range with `id` (the live one for an unknown id). */
export function chartRange(id: ChartRangeId): ChartRange {
  return CHART_RANGES.find((r) => r.id === id) ?? CHART_RANGES[0];
}

/** The span range `id` shows at `now`: [now - range, now). */
export function historyWindow(id: ChartRangeId, now: Timestamp): { from: Timestamp; to: Timestamp } {
  return { from: now - chartRange(id).ms, to: now };
}

/** Where one metric's columns are in the plot data (indexes into uPlot's series). */
export type MetricColumns = { metric: string; avg: number; max: number | null; min: number | null };

/**
 * uPlot data for one chart: x in seconds, then per metric its max and min (rollups only: the
 * band) and its average. `undefined` is "this metric has no point here" (the line spans it);
 * `null` is a gap (the line breaks).
 */
export type ShapedHistory = {
  data: [number[], ...(number | null | undefined)[][]];
  columns: MetricColumns[];
  /** The points are rollups: each has a min and max worth drawing. */
  rollup: boolean;
  /** Whether any point holds a reading. */
  hasReadings: boolean;
  /** Each point's width, in ms (the widest of the series). */
  stepMs: number;
};

/**
 * Joins `series` (one per metric, each from get_history over [from, to)) on their times.
 * The first and last x are `from` and `to`, so the time axis spans the whole range even where
 * nothing was recorded.
 */
export function shapeHistory(series: readonly HistorySeries[], from: Timestamp, to: Timestamp): ShapedHistory {
  const rollup = series.some((s) => s.tier !== "raw");
  const times = new Set<number>([from, to]);
  for (const s of series) for (const p of s.points) times.add(p.t);
  const xsMs = [...times].sort((a, b) => a - b);
  const index = new Map(xsMs.map((x, i) => [x, i]));
  const data: ShapedHistory["data"] = [xsMs.map((x) => x / 1000)];
  const columns: MetricColumns[] = [];
  const column = () => {
    data.push(new Array<number | null | undefined>(xsMs.length).fill(undefined));
    return data.length - 1;
  };
  for (const s of series) {
    const max = rollup ? column() : null;
    const min = rollup ? column() : null;
    const avg = column();
    for (const p of s.points) {
      const i = index.get(p.t)!;
      data[avg][i] = p.avg;
      if (max !== null) data[max][i] = p.avg === null ? null : (p.max ?? p.avg);
      if (min !== null) data[min][i] = p.avg === null ? null : (p.min ?? p.avg);
    }
    columns.push({ metric: s.metric, avg, max, min });
  }
  return {
    data,
    columns,
    rollup,
    hasReadings: series.some((s) => s.points.some((p) => p.avg !== null)),
    stepMs: Math.max(0, ...series.map((s) => s.step_ms)),
  };
}

/** uPlot bands: each metric's max over its min (rollups only). */
export function bandsOf(columns: readonly MetricColumns[]): { series: [number, number] }[] {
  return columns.flatMap((c) => (c.max !== null && c.min !== null ? [{ series: [c.max, c.min] as [number, number] }] : []));
}

/** One rule's line on a chart: its threshold, or its clear threshold when that differs. */
export type ThresholdLine = {
  rule: string;
  metric: string;
  kind: "threshold" | "clear";
  value: number;
  op: Op;
  severity: Severity;
};

/** The lines of the enabled rules that watch one of `metrics`, in the rules' order. */
export function thresholdLines(rules: readonly RuleConfig[], metrics: readonly string[]): ThresholdLine[] {
  const out: ThresholdLine[] = [];
  for (const r of rules) {
    if (!r.enabled || !metrics.includes(r.metric) || !Number.isFinite(r.threshold)) continue;
    const base = { rule: r.name, metric: r.metric, op: r.op, severity: r.severity };
    out.push({ ...base, kind: "threshold", value: r.threshold });
    const clear = r.clear_threshold;
    if (typeof clear === "number" && Number.isFinite(clear) && clear !== r.threshold)
      out.push({ ...base, kind: "clear", value: clear });
  }
  return out;
}

/**
 * The levels to draw, one per value: a threshold wins over a clear threshold at the same
 * value, critical over warning.
 */
export function lineLevels(lines: readonly ThresholdLine[]): { value: number; kind: ThresholdLine["kind"]; severity: Severity }[] {
  const byValue = new Map<number, { value: number; kind: ThresholdLine["kind"]; severity: Severity }>();
  const rank = (l: { kind: string; severity: string }) => (l.kind === "threshold" ? 2 : 0) + (l.severity === "critical" ? 1 : 0);
  for (const l of lines) {
    const seen = byValue.get(l.value);
    if (!seen || rank(l) > rank(seen)) byValue.set(l.value, { value: l.value, kind: l.kind, severity: l.severity });
  }
  return [...byValue.values()].sort((a, b) => a.value - b.value);
}

/**
 * The y range: from 0 (every metric is a non-negative reading) to `fixedMax` (100 for
 * percentages) or a little above the data, and always high enough to show every line.
 */
export function yRange(dataMax: number | null, lines: readonly { value: number }[], fixedMax: number | null): [number, number] {
  const top = Math.max(...lines.map((l) => l.value), dataMax !== null && Number.isFinite(dataMax) ? dataMax : 0);
  if (fixedMax !== null) return [0, Math.max(fixedMax, top)];
  return [0, top > 0 ? top * 1.15 : 1];
}

/** One metric at the hovered point: its average, and its min and max for rollups. */
export type PointValues = { metric: string; avg: number | null; min: number | null; max: number | null };

/** The values of every metric at data index `idx` (null where a metric has no reading there). */
export function valuesAt(shaped: ShapedHistory, idx: number): PointValues[] {
  const at = (col: number | null) => {
    const v = col === null ? undefined : shaped.data[col]?.[idx];
    return typeof v === "number" ? v : null;
  };
  return shaped.columns.map((c) => ({ metric: c.metric, avg: at(c.avg), min: at(c.min), max: at(c.max) }));
}

/** A line's entry under the chart: "CPU saturated: > 90.0 %", "CPU saturated: clears at 80.0 %". */
export function lineText(line: ThresholdLine): string {
  return line.kind === "threshold"
    ? t("ui-history-threshold", { rule: line.rule, condition: formatCondition(line.metric, line.op, line.value) })
    : t("ui-history-clear", { rule: line.rule, value: formatLevel(line.metric, line.value) });
}

/** One metric at the hovered point in words: its average, with min and max for rollups. */
export function pointText(p: PointValues, rollup: boolean): string {
  const name = metricLabel(p.metric);
  if (p.avg === null) return t("ui-history-point-gap", { name });
  const avg = formatMetric(p.metric, p.avg);
  if (!rollup || p.min === null || p.max === null) return t("ui-history-point", { name, value: avg });
  return t("ui-history-point-range", { name, avg, min: formatMetric(p.metric, p.min), max: formatMetric(p.metric, p.max) });
}

/** The hovered point's time: to the second for points under a minute wide. */
export function pointTime(ms: number, stepMs: number): string {
  const seconds = stepMs < MIN ? { second: "2-digit" as const } : {};
  return dateTimeFormat({ month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", ...seconds }).format(new Date(ms));
}

/** A time-axis label part in the window's language: a clock time or a short date. */
export function axisTime(ms: number, part: "time" | "date"): string {
  const options: Intl.DateTimeFormatOptions = part === "time" ? { hour: "2-digit", minute: "2-digit" } : { month: "short", day: "numeric" };
  return dateTimeFormat(options).format(new Date(ms));
}

/** A value-axis label of `metric`: its unit, with decimals only as fine as the ticks are apart. */
export function axisValue(metric: string, v: number, increment: number): string {
  if (unitOf(metric) !== "percent") return formatLevel(metric, v);
  const digits = increment >= 1 || increment <= 0 ? 0 : increment >= 0.1 ? 1 : 2;
  return t("ui-unit-percent", { value: formatNumber(v, digits) });
}

/**
 * Time-axis labels for ticks at `splits` (seconds) `increment` seconds apart: dates for ticks
 * a day or more apart; otherwise clock times, with the date under the first tick and under
 * each tick on a new day.
 */
export function timeLabels(
  splits: readonly number[],
  increment: number,
  format: (ms: number, part: "time" | "date") => string,
): string[] {
  if (increment >= DAY / 1000) return splits.map((s) => format(s * 1000, "date"));
  let day = "";
  return splits.map((s) => {
    const ms = s * 1000;
    const d = new Date(ms).toDateString();
    const time = format(ms, "time");
    if (d === day) return time;
    day = d;
    return `${time}\n${format(ms, "date")}`;
  });
}

/** Whether data indexes say the x scale shows less than all of `xs` (the chart is zoomed in). */
export function isZoomed(xs: readonly number[], min: number | null | undefined, max: number | null | undefined): boolean {
  if (xs.length === 0 || min == null || max == null) return false;
  const eps = 1e-6;
  return min > xs[0] + eps || max < xs[xs.length - 1] - eps;
}
