// The rule editor's preview of a draft rule backtested over a recent range (the last 24 hours,
// 7 days or 30 days), as words and shapes: the ranges it offers and when a replay starts, the
// facts of a Backtest the result sentence reads from, the heading and the sentence and its
// notes (low coverage, why it is approximate), the firing periods as shaded spans of the chart,
// the chart's threshold lines, and which failures the preview shows as what. Pure: the
// RulePreview view only shows what this returns.
import type { ApiError } from "./bindings/ApiError";
import type { Approximation } from "./bindings/Approximation";
import type { Backtest } from "./bindings/Backtest";
import type { FiringPeriod } from "./bindings/FiringPeriod";
import type { RuleConfig } from "./bindings/RuleConfig";
import type { Tier } from "./bindings/Tier";
import type { Timestamp } from "./bindings/Timestamp";
import { toApiError } from "./fieldErrors";
import { formatCoverage, formatSpan, unitOf } from "./format";
import { chartRange, historyWindow, thresholdLines, type ThresholdLine } from "./historyChart";
import { t } from "./i18n.svelte";
import { metricLabel } from "./labels";

/** The ranges the preview can replay (ids of the overview's chart ranges), shortest first. */
export const PREVIEW_RANGE_IDS = ["24h", "7d", "30d"] as const;
export type PreviewRangeId = (typeof PREVIEW_RANGE_IDS)[number];
/** The range the preview replays until the user picks another. */
export const DEFAULT_PREVIEW_RANGE: PreviewRangeId = "24h";
/** The preview's ranges as its range picker lists them: each id with its label's catalog id. */
export const PREVIEW_RANGES: readonly { id: PreviewRangeId; labelId: string }[] = PREVIEW_RANGE_IDS.map((id) => ({
  id,
  labelId: chartRange(id).labelId,
}));
/** How many points the preview's chart asks for. */
export const PREVIEW_POINTS = 400;
/** How long the draft must stay unchanged before it is replayed again. */
export const PREVIEW_DELAY_MS = 600;
/** Below this share of the range with readings, the preview says how little was covered. */
export const LOW_COVERAGE = 0.9;

/** What the result sentence says: which form it takes, and the figures it names. */
export type PreviewFacts = {
  /**
   * "fired": it started firing at least once; "firing_at_start": it never started, but was
   * already firing when the range began; "quiet": it would not have fired; "no_readings":
   * nothing was recorded, so nothing was replayed.
   */
  outcome: "fired" | "firing_at_start" | "quiet" | "no_readings";
  firings: number;
  notifications: number;
  firingMs: number;
  /** The share of the range with readings when it is low enough to mention, else null. */
  lowCoverage: number | null;
  approximation: Approximation | null;
  tier: Tier;
};

export function previewFacts(b: Backtest): PreviewFacts {
  const outcome: PreviewFacts["outcome"] =
    b.firings > 0
      ? "fired"
      : b.periods.length > 0 || b.firing_ms > 0
        ? "firing_at_start"
        : b.coverage <= 0
          ? "no_readings"
          : "quiet";
  const replayed = outcome !== "no_readings";
  return {
    outcome,
    firings: b.firings,
    notifications: b.notifications,
    firingMs: b.firing_ms,
    lowCoverage: replayed && b.coverage < LOW_COVERAGE ? Math.max(0, b.coverage) : null,
    approximation: replayed ? b.approximation : null,
    tier: b.tier,
  };
}

/** The span range `id` replays at `now`: [now - range, now). */
export function previewWindow(id: PreviewRangeId, now: Timestamp): { from: Timestamp; to: Timestamp } {
  return historyWindow(id, now);
}

/** One replay's question: the draft as the backend gets it, over which range. */
export type PreviewRequest = { rule: RuleConfig; range: PreviewRangeId };

/**
 * How long to wait before replaying `next`: not at all for the first replay or for another
 * range (a click or an arrow key is a choice made), `PREVIEW_DELAY_MS` for an edit of the rule
 * (typing goes on: only its pauses are replayed).
 */
export function previewDelay(previous: PreviewRequest | null, next: PreviewRequest): number {
  return previous === null || previous.range !== next.range ? 0 : PREVIEW_DELAY_MS;
}

// The catalogs' selector for each range ("in the last { $range -> [week] 7 days … }").
const RANGE_WORD: Record<PreviewRangeId, "day" | "week" | "month"> = { "24h": "day", "7d": "week", "30d": "month" };

/** The preview's heading: "Preview: last 7 days". */
export function previewHeading(id: PreviewRangeId): string {
  return t("ui-preview-heading", { range: RANGE_WORD[id] });
}

/** What the preview says while it replays range `id`: "Replaying the last 7 days…". */
export function previewLoading(id: PreviewRangeId): string {
  return t("ui-preview-loading", { range: RANGE_WORD[id] });
}

/** The result sentence: "Would have fired 3 times in the last 24 h (2 h 10 min in total), …". */
export function previewSentence(f: PreviewFacts, metric: string, id: PreviewRangeId): string {
  const range = RANGE_WORD[id];
  const firing = formatSpan(f.firingMs);
  switch (f.outcome) {
    case "fired":
      return t("ui-preview-fired", { firings: f.firings, notifications: f.notifications, firing, range });
    case "firing_at_start":
      return t("ui-preview-firing-at-start", { notifications: f.notifications, firing, range });
    case "no_readings":
      return t("ui-preview-no-readings", { name: metricLabel(metric), range });
    default:
      return t("ui-preview-quiet", { range });
  }
}

// Why each approximation is one, checked against the generated type.
const APPROXIMATION: Record<Approximation, string> = {
  bucket_extremes: "ui-preview-approx-extremes",
  bucket_averages: "ui-preview-approx-averages",
  p95_from_max: "ui-preview-approx-p95",
};

/**
 * The notes under the sentence: how little of the range had readings (rounded down, so it
 * never reads 90 % for "below 90 %"), then why the result is approximate.
 */
export function previewNotes(f: PreviewFacts): string[] {
  const notes: string[] = [];
  if (f.lowCoverage !== null)
    notes.push(t("ui-preview-coverage", { coverage: formatCoverage(Math.floor(f.lowCoverage * 100 + 1e-9) / 100) }));
  if (f.approximation) notes.push(t(APPROXIMATION[f.approximation] ?? "ui-preview-approx-extremes", { tier: f.tier }));
  return notes;
}

/** A span of the chart's time axis, in ms. */
export type Span = { from: Timestamp; to: Timestamp };

/**
 * The firing periods as spans of [from, to) to shade: a period still firing (to = null) runs
 * to the end; each is clipped to the range, empty ones are dropped, and overlapping or
 * touching ones are joined, in time order.
 */
export function firingSpans(periods: readonly FiringPeriod[], from: Timestamp, to: Timestamp): Span[] {
  const clipped = periods
    .map((p) => ({ from: Math.max(from, p.from), to: Math.min(to, p.to ?? to) }))
    .filter((s) => s.to > s.from)
    .sort((a, b) => a.from - b.from);
  const out: Span[] = [];
  for (const s of clipped) {
    const last = out.at(-1);
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

/** The draft rule's lines on its chart: its threshold (and clear threshold), even while it is off. */
export function previewLines(rule: RuleConfig): ThresholdLine[] {
  return thresholdLines([{ ...rule, enabled: true }], [rule.metric]);
}

/** The fixed top of the chart's y axis: 100 for percentages, 1 for flags, else it follows the data. */
export function previewMax(metric: string): number | null {
  const unit = unitOf(metric);
  return unit === "percent" ? 100 : unit === "flag" ? 1 : null;
}

/** How the preview shows a failed backtest: a rule the backend refused asks to be fixed. */
export type PreviewProblem = { kind: "invalid" } | { kind: "failed"; error: ApiError };

export function previewProblem(e: unknown): PreviewProblem {
  const error = toApiError(e);
  return error.code === "invalid_config" ? { kind: "invalid" } : { kind: "failed", error };
}
