import { afterEach, describe, expect, test } from "vitest";
import type { Backtest } from "./bindings/Backtest";
import type { RuleConfig } from "./bindings/RuleConfig";
import {
  LOW_COVERAGE, PREVIEW_SPAN_MS, firingSpans, previewFacts, previewLines, previewMax, previewNotes, previewProblem,
  previewSentence,
} from "./backtestPreview";
import { setLanguage } from "./i18n.svelte";

afterEach(() => setLanguage("en"));

const MIN = 60_000;
const HOUR = 60 * MIN;
const TO = 1_700_000_000_000;
const FROM = TO - PREVIEW_SPAN_MS;

const backtest = (over: Partial<Backtest>): Backtest => ({
  rule: "CPU busy", metric: "cpu.total", from: FROM, to: TO, tier: "raw", approximation: null,
  events: [], periods: [], firings: 0, notifications: 0, firing_ms: 0, coverage: 1, ...over,
});
const rule = (over: Partial<RuleConfig>): RuleConfig => ({
  name: "CPU busy", metric: "cpu.total", aggregate: "avg", window: "5m", op: ">", threshold: 90,
  notify_resolved: true, severity: "warning", enabled: true, ...over,
});
const say = (b: Backtest) => previewSentence(previewFacts(b), b.metric);

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
  });

  test("a refused rule asks to be fixed; anything else is an error to show", () => {
    expect(previewProblem({ code: "invalid_config", message: "bad", fields: [] })).toEqual({ kind: "invalid" });
    expect(previewProblem({ code: "store", message: "disk full" })).toEqual({ kind: "failed", error: { code: "store", message: "disk full" } });
    expect(previewProblem("boom")).toEqual({ kind: "failed", error: { code: "internal", message: "boom" } });
  });
});
