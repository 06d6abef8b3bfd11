import { afterEach, describe, expect, test } from "vitest";
import type { HistoryPoint } from "./bindings/HistoryPoint";
import type { HistorySeries } from "./bindings/HistorySeries";
import type { RuleConfig } from "./bindings/RuleConfig";
import {
  CHART_RANGES, LIVE_RANGE, axisValue, bandsOf, chartRange, historyWindow, isZoomed, lineLevels, lineText, pointText,
  shapeHistory, thresholdLines, timeLabels, valuesAt, yRange,
} from "./historyChart";
import { setLanguage } from "./i18n.svelte";

afterEach(() => setLanguage("en"));

const MIN = 60_000;
const FROM = 1_700_000_000_000;
const TO = FROM + 10 * MIN;

const point = (t: number, avg: number | null, spread = 0): HistoryPoint => ({
  t, avg, min: avg === null ? null : avg - spread, max: avg === null ? null : avg + spread,
});
const series = (metric: string, tier: HistorySeries["tier"], points: HistoryPoint[]): HistorySeries => ({
  metric, from: FROM, to: TO, tier, step_ms: MIN, points,
});
const rule = (over: Partial<RuleConfig>): RuleConfig => ({
  name: "r", metric: "cpu.total", aggregate: "avg", window: "5m", op: ">", threshold: 90,
  notify_resolved: true, severity: "warning", enabled: true, ...over,
});

describe("ranges", () => {
  test("the live range comes first; history ranges end now", () => {
    expect(CHART_RANGES.map((r) => r.id)).toEqual(["10m", "1h", "24h", "7d", "30d"]);
    expect(LIVE_RANGE).toBe("10m");
    expect(historyWindow("24h", TO)).toEqual({ from: TO - 24 * 60 * MIN, to: TO });
    expect(chartRange("7d").ms).toBe(7 * 24 * 60 * MIN);
  });
});

describe("shaping history for uPlot", () => {
  test("raw points: x in seconds spanning the whole range, the average only, gaps as null", () => {
    const s = series("cpu.total", "raw", [point(FROM + MIN, 10), point(FROM + 2 * MIN, null), point(FROM + 5 * MIN, 30)]);
    const shaped = shapeHistory([s], FROM, TO);
    expect(shaped.rollup).toBe(false);
    expect(shaped.hasReadings).toBe(true);
    expect(shaped.data[0]).toEqual([FROM, FROM + MIN, FROM + 2 * MIN, FROM + 5 * MIN, TO].map((t) => t / 1000));
    expect(shaped.columns).toEqual([{ metric: "cpu.total", avg: 1, max: null, min: null }]);
    expect(shaped.data[1]).toEqual([undefined, 10, null, 30, undefined]);
    expect(bandsOf(shaped.columns)).toEqual([]);
  });

  test("rollups: each metric's max and min make a band under its average; two metrics join on time", () => {
    const rx = series("net.eth0.rx_bps", "minute", [point(FROM, 100, 20), point(FROM + MIN, null)]);
    const tx = series("net.eth0.tx_bps", "minute", [point(FROM + MIN, 5, 1), point(FROM + 2 * MIN, 7, 2)]);
    const shaped = shapeHistory([rx, tx], FROM, TO);
    expect(shaped.rollup).toBe(true);
    expect(shaped.columns).toEqual([
      { metric: "net.eth0.rx_bps", max: 1, min: 2, avg: 3 },
      { metric: "net.eth0.tx_bps", max: 4, min: 5, avg: 6 },
    ]);
    expect(shaped.data[0]).toEqual([FROM, FROM + MIN, FROM + 2 * MIN, TO].map((t) => t / 1000));
    expect(shaped.data.slice(1)).toEqual([
      [120, null, undefined, undefined],
      [80, null, undefined, undefined],
      [100, null, undefined, undefined],
      [undefined, 6, 9, undefined],
      [undefined, 4, 5, undefined],
      [undefined, 5, 7, undefined],
    ]);
    expect(bandsOf(shaped.columns)).toEqual([{ series: [1, 2] }, { series: [4, 5] }]);
    expect(valuesAt(shaped, 1)).toEqual([
      { metric: "net.eth0.rx_bps", avg: null, min: null, max: null },
      { metric: "net.eth0.tx_bps", avg: 5, min: 4, max: 6 },
    ]);
  });

  test("no readings at all, or only gaps, is no history", () => {
    expect(shapeHistory([series("cpu.total", "raw", [])], FROM, TO).hasReadings).toBe(false);
    expect(shapeHistory([series("cpu.total", "minute", [point(FROM, null)])], FROM, TO).hasReadings).toBe(false);
  });
});

describe("threshold lines", () => {
  const rules = [
    rule({ name: "busy", threshold: 80, aggregate: "all" }),
    rule({ name: "saturated", threshold: 90, clear_threshold: 80, severity: "critical" }),
    rule({ name: "same clear", threshold: 70, clear_threshold: 70 }),
    rule({ name: "off", threshold: 50, enabled: false }),
    rule({ name: "memory", metric: "mem.used_pct", threshold: 95 }),
  ];

  test("enabled rules of the chart's metrics; a clear threshold only where it differs", () => {
    expect(thresholdLines(rules, ["cpu.total"]).map((l) => [l.rule, l.kind, l.value])).toEqual([
      ["busy", "threshold", 80],
      ["saturated", "threshold", 90],
      ["saturated", "clear", 80],
      ["same clear", "threshold", 70],
    ]);
    expect(thresholdLines(rules, ["net.eth0.rx_bps"])).toEqual([]);
  });

  test("one level per value: a threshold over a clear threshold, critical over warning", () => {
    expect(lineLevels(thresholdLines(rules, ["cpu.total"]))).toEqual([
      { value: 70, kind: "threshold", severity: "warning" },
      { value: 80, kind: "threshold", severity: "warning" },
      { value: 90, kind: "threshold", severity: "critical" },
    ]);
  });

  test("lines in words", () => {
    const [busy, , clear] = thresholdLines(rules, ["cpu.total"]);
    expect(lineText(busy)).toBe("busy: > 80.0 %");
    expect(lineText(clear)).toBe("saturated: clears at 80.0 %");
    setLanguage("ko");
    expect(lineText(clear)).toBe("saturated: 80.0%에서 해제");
  });

  test("the y range shows every line, and percentages to 100", () => {
    expect(yRange(20, [{ value: 90 }], 100)).toEqual([0, 100]);
    expect(yRange(20, [], null)).toEqual([0, 23]);
    expect(yRange(1000, [{ value: 5000 }], null)).toEqual([0, 5750]);
    expect(yRange(null, [], null), "no data still has a scale").toEqual([0, 1]);
  });
});

describe("labels", () => {
  test("value axis: the metric's unit, decimals only as fine as the ticks", () => {
    expect(axisValue("cpu.total", 20, 20)).toBe("20 %");
    expect(axisValue("cpu.total", 2.5, 0.5)).toBe("2.5 %");
    expect(axisValue("net.eth0.rx_bps", 1_500_000, 500_000)).toBe("1.5 MB/s");
    expect(axisValue("mem.used_bytes", 2 * 1024 ** 3, 1024 ** 3)).toBe("2.0 GiB");
    expect(axisValue("temp.cpu", 60, 10)).toBe("60 °C");
    expect(axisValue("probe.nas.latency_ms", 20, 10)).toBe("20 ms");
    expect(axisValue("probe.nas.up", 1, 0.5), "a flag's levels are numbers, not states").toBe("1");
    expect(axisValue("battery.BAT0.charging", 0.5, 0.5)).toBe("0.5");
  });

  test("time axis: clock times with the date under the first tick and each new day, dates for wide ticks", () => {
    const fmt = (ms: number, part: "time" | "date") => (part === "time" ? `T${new Date(ms).getHours()}` : `D${new Date(ms).getDate()}`);
    const day = new Date(2025, 0, 5, 20, 0).getTime() / 1000;
    const splits = [day, day + 7200, day + 4 * 3600, day + 6 * 3600];
    expect(timeLabels(splits, 7200, fmt)).toEqual(["T20\nD5", "T22", "T0\nD6", "T2"]);
    expect(timeLabels([day, day + 86_400], 86_400, fmt)).toEqual(["D5", "D6"]);
  });

  test("the hovered point: average, with min and max for rollups; a gap says so", () => {
    const p = { metric: "cpu.total", avg: 12.34, min: 5, max: 40 };
    expect(pointText(p, true)).toBe("CPU 12.3 % (min 5.0 %, max 40.0 %)");
    expect(pointText(p, false)).toBe("CPU 12.3 %");
    expect(pointText({ metric: "net.eth0.rx_bps", avg: null, min: null, max: null }, true)).toBe("eth0 received: no readings");
    setLanguage("ko");
    expect(pointText(p, true)).toBe("CPU 12.3% (최소 5.0%, 최대 40.0%)");
  });

  test("zoomed means the x scale shows less than all the data", () => {
    const xs = [10, 20, 30];
    expect(isZoomed(xs, 10, 30)).toBe(false);
    expect(isZoomed(xs, 12, 30)).toBe(true);
    expect(isZoomed(xs, 10, 25)).toBe(true);
    expect(isZoomed([], 1, 2)).toBe(false);
    expect(isZoomed(xs, null, null)).toBe(false);
  });
});
