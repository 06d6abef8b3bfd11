import { afterEach, describe, expect, test } from "vitest";
import type { Backtest } from "./bindings/Backtest";
import type { RuleConfig } from "./bindings/RuleConfig";
import {
  DEFAULT_PREVIEW_RANGE, LOW_COVERAGE, PREVIEW_DELAY_MS, PREVIEW_RANGES, firingSpans, previewDelay, previewFacts,
  previewHeading, previewLines, previewLoading, previewMax, previewNotes, previewProblem, previewSentence, previewWindow,
  type PreviewRangeId,
} from "./backtestPreview";
import { setLanguage } from "./i18n.svelte";

afterEach(() => setLanguage("en"));

const MIN = 60_000;
const HOUR = 60 * MIN;
const TO = 1_700_000_000_000;
const DAY = 24 * HOUR;
const FROM = TO - DAY;

const backtest = (over: Partial<Backtest>): Backtest => ({
  rule: "CPU busy", metric: "cpu.total", from: FROM, to: TO, tier: "raw", approximation: null,
  events: [], periods: [], firings: 0, notifications: 0, firing_ms: 0, coverage: 1, ...over,
});
const rule = (over: Partial<RuleConfig>): RuleConfig => ({
  name: "CPU busy", metric: "cpu.total", aggregate: "avg", window: "5m", op: ">", threshold: 90,
  notify_resolved: true, severity: "warning", enabled: true, ...over,
});
const say = (b: Backtest, range: PreviewRangeId = "24h") => previewSentence(previewFacts(b), b.metric, range);

describe("the ranges", () => {
  test("24 h first and by default, then 7 and 30 days, labelled as the overview's chart ranges", () => {
    expect(DEFAULT_PREVIEW_RANGE).toBe("24h");
    expect(PREVIEW_RANGES).toEqual([
      { id: "24h", labelId: "ui-history-range-24h" },
      { id: "7d", labelId: "ui-history-range-7d" },
      { id: "30d", labelId: "ui-history-range-30d" },
    ]);
  });

  test("each replays the span that ends now", () => {
    expect(previewWindow("24h", TO)).toEqual({ from: TO - DAY, to: TO });
    expect(previewWindow("7d", TO)).toEqual({ from: TO - 7 * DAY, to: TO });
    expect(previewWindow("30d", TO)).toEqual({ from: TO - 30 * DAY, to: TO });
  });

  test("the first replay and another range start at once; an edit waits for a pause", () => {
    const day = { rule: rule({}), range: "24h" as const };
    expect(previewDelay(null, day)).toBe(0);
    expect(previewDelay(day, { rule: rule({ threshold: 80 }), range: "24h" })).toBe(PREVIEW_DELAY_MS);
    expect(PREVIEW_DELAY_MS).toBeGreaterThan(0);
    expect(previewDelay(day, { ...day, range: "7d" })).toBe(0);
    expect(previewDelay({ ...day, range: "30d" }, { rule: rule({ threshold: 80 }), range: "30d" })).toBe(PREVIEW_DELAY_MS);
  });

  test("the heading and the loading text name the range, in both languages", () => {
    expect(["24h", "7d", "30d"].map((id) => previewHeading(id as PreviewRangeId))).toEqual([
      "Preview: last 24 h",
      "Preview: last 7 days",
      "Preview: last 30 days",
    ]);
    expect(previewLoading("24h")).toBe("Replaying the last 24 h…");
    expect(previewLoading("7d")).toBe("Replaying the last 7 days…");
    expect(previewLoading("30d")).toBe("Replaying the last 30 days…");
    setLanguage("ko");
    expect(previewHeading("24h")).toBe("미리보기: 최근 24시간");
    expect(previewHeading("7d")).toBe("미리보기: 최근 7일");
    expect(previewHeading("30d")).toBe("미리보기: 최근 30일");
    expect(previewLoading("7d")).toBe("최근 7일 기록으로 규칙을 시험하는 중…");
    expect(previewLoading("30d")).toBe("최근 30일 기록으로 규칙을 시험하는 중…");
  });
});

describe("the result sentence", () => {
  test("counts firings, time firing and notifications, with plurals", () => {
    const fired = backtest({ firings: 3, notifications: 4, firing_ms: 2 * HOUR + 10 * MIN, periods: [{ from: FROM, to: FROM + HOUR }] });
    expect(say(fired)).toBe("Would have fired 3 times in the last 24 h (2 h 10 min in total), sending 4 notifications.");
    expect(say(backtest({ firings: 1, notifications: 1, firing_ms: 5 * MIN }))).toBe(
      "Would have fired once in the last 24 h (5 min in total), sending one notification.",
    );
    expect(say(backtest({ firings: 2, notifications: 0, firing_ms: 90_000 }))).toBe(
      "Would have fired 2 times in the last 24 h (1 min in total), sending no notifications.",
    );
    setLanguage("ko");
    expect(say(fired)).toBe("최근 24시간 동안 3번 발생했을 것입니다(총 2시간 10분). 알림은 4건 보냈을 것입니다.");
  });

  test("names the range replayed, in every form and both languages", () => {
    const fired = backtest({ firings: 3, notifications: 4, firing_ms: 2 * HOUR + 10 * MIN });
    const atStart = backtest({ periods: [{ from: FROM, to: FROM + 20 * MIN }], firing_ms: 20 * MIN });
    const none = backtest({ coverage: 0 });
    expect(say(fired, "7d")).toBe("Would have fired 3 times in the last 7 days (2 h 10 min in total), sending 4 notifications.");
    expect(say(fired, "30d")).toBe("Would have fired 3 times in the last 30 days (2 h 10 min in total), sending 4 notifications.");
    expect(say(backtest({}), "7d")).toBe("Would not have fired in the last 7 days.");
    expect(say(backtest({}), "30d")).toBe("Would not have fired in the last 30 days.");
    expect(say(atStart, "7d")).toBe("Would already have been firing when the last 7 days began (20 min in total), sending no notifications.");
    expect(say(none, "30d")).toBe("Lookout has recorded no readings of CPU in the last 30 days, so there is nothing to replay.");
    setLanguage("ko");
    expect(say(fired, "7d")).toBe("최근 7일 동안 3번 발생했을 것입니다(총 2시간 10분). 알림은 4건 보냈을 것입니다.");
    expect(say(fired, "30d")).toBe("최근 30일 동안 3번 발생했을 것입니다(총 2시간 10분). 알림은 4건 보냈을 것입니다.");
    expect(say(backtest({}), "24h")).toBe("최근 24시간 동안 발생하지 않았을 것입니다.");
    expect(say(backtest({}), "7d")).toBe("최근 7일 동안 발생하지 않았을 것입니다.");
    expect(say(atStart, "24h")).toBe("최근 24시간이 시작될 때 이미 발생 중이었을 것입니다(총 20분). 알림은 보내지 않았을 것입니다.");
    expect(say(atStart, "30d")).toBe("최근 30일이 시작될 때 이미 발생 중이었을 것입니다(총 20분). 알림은 보내지 않았을 것입니다.");
    expect(say(none, "7d")).toBe("최근 7일 동안 Lookout이 기록한 CPU 측정값이 없어 시험해 볼 것이 없습니다.");
  });

  test("says when it would not have fired, or was firing as the range began", () => {
    expect(previewFacts(backtest({})).outcome).toBe("quiet");
    expect(say(backtest({}))).toBe("Would not have fired in the last 24 h.");
    const atStart = backtest({ periods: [{ from: FROM, to: FROM + 20 * MIN }], firing_ms: 20 * MIN });
    expect(previewFacts(atStart).outcome).toBe("firing_at_start");
    expect(say(atStart)).toBe("Would already have been firing when the last 24 h began (20 min in total), sending no notifications.");
  });

  test("no readings at all is no history, not a quiet rule, and has no notes", () => {
    const none = backtest({ coverage: 0, tier: "minute", approximation: "bucket_averages" });
    const facts = previewFacts(none);
    expect(facts.outcome).toBe("no_readings");
    expect(say(none)).toBe("Lookout has recorded no readings of CPU in the last 24 h, so there is nothing to replay.");
    expect(previewNotes(facts)).toEqual([]);
  });
});

describe("the notes", () => {
  test("low coverage is mentioned below the bar, rounded down", () => {
    expect(previewNotes(previewFacts(backtest({ coverage: 0.4 })))).toEqual(["Readings cover only 40 % of that time."]);
    expect(previewNotes(previewFacts(backtest({ coverage: 0.899 }))), "never '90 %' for less than 90 %").toEqual([
      "Readings cover only 89 % of that time.",
    ]);
    expect(previewNotes(previewFacts(backtest({ coverage: 0.29 }))), "no floating-point slip to 28 %").toEqual([
      "Readings cover only 29 % of that time.",
    ]);
    expect(previewNotes(previewFacts(backtest({ coverage: LOW_COVERAGE })))).toEqual([]);
    expect(previewNotes(previewFacts(backtest({ coverage: 1 })))).toEqual([]);
  });

  test("each approximation says why, naming the summaries' width, after the coverage", () => {
    const notes = (approximation: Backtest["approximation"], tier: Backtest["tier"], coverage = 1) =>
      previewNotes(previewFacts(backtest({ approximation, tier, coverage })));
    expect(notes("bucket_extremes", "minute")).toEqual([
      "Approximate: for this range Lookout keeps only 1-minute summaries, so each one's lowest or highest reading stands for all of its readings and times are only as exact as the summaries.",
    ]);
    expect(notes("bucket_averages", "quarter_hour")[0]).toContain("only 15-minute summaries, so averages are taken of their averages");
    const p95 = notes("p95_from_max", "minute", 0.5);
    expect(p95).toHaveLength(2);
    expect(p95[0]).toBe("Readings cover only 50 % of that time.");
    expect(p95[1]).toContain("95th percentile is taken from each one's highest reading");
    setLanguage("ko");
    expect(notes("bucket_averages", "quarter_hour")[0]).toContain("15분 요약만");
  });
});

describe("the shaded spans", () => {
  test("an open period runs to the end; periods are clipped, joined and sorted", () => {
    expect(
      firingSpans(
        [
          { from: FROM + 10 * HOUR, to: null },
          { from: FROM - HOUR, to: FROM + HOUR },
          { from: FROM + 2 * HOUR, to: FROM + 3 * HOUR },
          { from: FROM + 3 * HOUR, to: FROM + 4 * HOUR },
          { from: FROM + 5 * HOUR, to: FROM + 5 * HOUR },
        ],
        FROM,
        TO,
      ),
    ).toEqual([
      { from: FROM, to: FROM + HOUR },
      { from: FROM + 2 * HOUR, to: FROM + 4 * HOUR },
      { from: FROM + 10 * HOUR, to: TO },
    ]);
    expect(firingSpans([{ from: TO + MIN, to: null }], FROM, TO), "outside the range: nothing").toEqual([]);
    expect(firingSpans([], FROM, TO)).toEqual([]);
  });
});

describe("the chart and the failures", () => {
  test("the draft's threshold lines show even while the rule is off", () => {
    const lines = previewLines(rule({ enabled: false, clear_threshold: 80 }));
    expect(lines.map((l) => [l.kind, l.value])).toEqual([["threshold", 90], ["clear", 80]]);
    expect(previewLines(rule({ threshold: Number.NaN }))).toEqual([]);
    expect(previewMax("cpu.total")).toBe(100);
    expect(previewMax("net.eth0.rx_bps")).toBeNull();
    expect(previewMax("gpu.0.busy_pct")).toBe(100);
    expect(previewMax("probe.nas.up"), "a flag is 0 or 1").toBe(1);
    expect(previewMax("probe.nas.latency_ms")).toBeNull();
  });

  test("a refused rule asks to be fixed; anything else is an error to show", () => {
    expect(previewProblem({ code: "invalid_config", message: "bad", fields: [] })).toEqual({ kind: "invalid" });
    expect(previewProblem({ code: "store", message: "disk full" })).toEqual({ kind: "failed", error: { code: "store", message: "disk full" } });
    expect(previewProblem("boom")).toEqual({ kind: "failed", error: { code: "internal", message: "boom" } });
  });
});
