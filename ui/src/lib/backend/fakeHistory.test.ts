import { describe, expect, test } from "vitest";
import type { HistorySeries } from "../bindings/HistorySeries";
import type { RuleConfig } from "../bindings/RuleConfig";
import {
  chooseTier, gapOf, isMetricKey, pointWidth, profileOf, syntheticBacktest, syntheticHistory, valueAt,
} from "./fakeHistory";

const NOW = 1_700_000_900_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const CPU = profileOf("cpu.total", [15, 16, 18, 21, 19, 17]);
const RETENTION = { rawMs: 48 * HOUR, minuteMs: 30 * DAY };

const readings = (s: HistorySeries) => s.points.filter((p) => p.avg !== null);

function rule(over: Partial<RuleConfig> = {}): RuleConfig {
  return {
    name: "CPU saturated", metric: "cpu.total", aggregate: "avg", window: "5m", op: ">", threshold: 90,
    clear_threshold: 80, notify_resolved: true, severity: "critical", enabled: true, ...over,
  };
}

describe("metric keys and tiers", () => {
  test("keys of the forms Lookout accepts, and no others", () => {
    for (const key of ["cpu.total", "cpu.core.3", "load.15", "disk./home.used_pct", "net.enp3s0.rx_bps", "temp.k10temp", "app.firefox.cpu_pct"])
      expect(isMetricKey(key), key).toBe(true);
    for (const key of ["", "cpu", "cpu.core.x", "disk.home.used_pct", "net..rx_bps", "temp.", "app.a.b.cpu_pct", "app.firefox.nope"])
      expect(isMetricKey(key), key).toBe(false);
  });

  test("batteries, disks' I/O, GPUs, probes and AC power", () => {
    for (const key of ["battery.BAT0.pct", "battery.BAT0.time_to_empty_s", "power.ac", "diskio.sda.busy_pct", "gpu.0.temp", "probe.nas.up", "probe.nas.latency_ms"])
      expect(isMetricKey(key), key).toBe(true);
    for (const key of ["battery.BAT0.volts", "power.dc", "diskio.sda", "gpu.first.temp", "probe.a.b.up", "probe..up"])
      expect(isMetricKey(key), key).toBe(false);
  });

  test("the tier follows the width each point needs", () => {
    expect(chooseTier(0, 600 * 59_999, 600)).toBe("raw");
    expect(chooseTier(0, 600 * MIN, 600)).toBe("minute");
    expect(chooseTier(0, 600 * 15 * MIN - 1, 600)).toBe("minute");
    expect(chooseTier(0, 600 * 15 * MIN, 600)).toBe("quarter_hour");
    expect(chooseTier(0, HOUR, 0), "at least one point").toBe("quarter_hour");
  });

  test("points are whole source steps, never finer than the source", () => {
    expect(pointWidth(0, HOUR, 600, 1000)).toBe(6000);
    expect(pointWidth(0, DAY, 600, MIN)).toBe(3 * MIN);
    expect(pointWidth(0, 10_000, 600, 1000)).toBe(1000);
  });
});

describe("synthetic history", () => {
  test("the same question gets the same answer", () => {
    const a = syntheticHistory("cpu.total", CPU, NOW - DAY, NOW, 600, NOW);
    expect(syntheticHistory("cpu.total", CPU, NOW - DAY, NOW, 600, NOW)).toEqual(a);
    expect(syntheticHistory("mem.used_pct", profileOf("mem.used_pct"), NOW - DAY, NOW, 600, NOW).points).not.toEqual(a.points);
  });

  test("points are ordered, aligned to their width, within the range and before now", () => {
    for (const span of [HOUR, DAY, 7 * DAY, 30 * DAY]) {
      const s = syntheticHistory("cpu.total", CPU, NOW - span, NOW + span / 4, 600, NOW);
      expect(s.points.length, `${span}`).toBeGreaterThan(250);
      expect(s.points.length).toBeLessThanOrEqual(601);
      s.points.forEach((p, i) => {
        expect(p.t % s.step_ms).toBe(0);
        expect(p.t).toBeGreaterThan(NOW - span - s.step_ms);
        expect(p.t, "nothing after now").toBeLessThanOrEqual(NOW);
        if (i > 0) expect(p.t).toBeGreaterThan(s.points[i - 1].t);
      });
    }
  });

  test("min <= avg <= max, percentages within 0 to 100", () => {
    for (const [metric, profile] of [["cpu.total", CPU], ["net.eth0.rx_bps", profileOf("net.eth0.rx_bps")]] as const) {
      const s = syntheticHistory(metric, profile, NOW - 7 * DAY, NOW, 600, NOW);
      for (const p of readings(s)) {
        expect(p.min!).toBeLessThanOrEqual(p.avg!);
        expect(p.avg!).toBeLessThanOrEqual(p.max!);
        expect(p.min!).toBeGreaterThanOrEqual(0);
        if (metric === "cpu.total") expect(p.max!).toBeLessThanOrEqual(100);
      }
    }
  });

  test("rollups spread their readings; single readings do not", () => {
    const raw = syntheticHistory("cpu.total", CPU, NOW - 10 * MIN, NOW, 600, NOW);
    expect(raw.tier).toBe("raw");
    expect(raw.points.every((p) => p.min === p.avg && p.avg === p.max)).toBe(true);
    const day = syntheticHistory("cpu.total", CPU, NOW - DAY, NOW, 600, NOW);
    expect(day.tier).toBe("minute");
    expect(readings(day).some((p) => p.max! - p.min! > 0.5)).toBe(true);
  });

  test("recorded readings set the level; a metric nobody recorded still waves", () => {
    const s = syntheticHistory("cpu.total", CPU, NOW - HOUR, NOW, 600, NOW);
    const avgs = readings(s).map((p) => p.avg!).sort((a, b) => a - b);
    const median = avgs[Math.floor(avgs.length / 2)];
    expect(median).toBeGreaterThan(8);
    expect(median).toBeLessThan(35);
    const app = profileOf("app.firefox.rss_bytes");
    const values = Array.from({ length: 48 }, (_, i) => valueAt(app, NOW - i * HOUR));
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(app.swing);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
  });

  test("ranges longer than an hour have one gap in their middle, marked by one null point", () => {
    const hour = syntheticHistory("cpu.total", CPU, NOW - HOUR, NOW, 600, NOW);
    expect(hour.points.filter((p) => p.avg === null)).toEqual([]);
    const day = syntheticHistory("cpu.total", CPU, NOW - DAY, NOW, 600, NOW);
    const gaps = day.points.filter((p) => p.avg === null);
    expect(gaps.length).toBe(1);
    expect(gaps[0].min).toBeNull();
    expect(gaps[0].max).toBeNull();
    const gap = gapOf(NOW - DAY, NOW, day.step_ms)!;
    expect(gaps[0].t).toBeGreaterThan(gap.start - day.step_ms);
    expect(gaps[0].t).toBeLessThan(gap.start + day.step_ms);
    expect(gap.end - gap.start).toBeCloseTo(DAY / 16);
    expect(readings(day).filter((p) => p.t + day.step_ms > gap.start && p.t < gap.end), "nothing recorded in it").toEqual([]);
    const i = day.points.indexOf(gaps[0]);
    expect(day.points[i + 1].t - day.points[i - 1].t, "readings resume after it").toBeGreaterThan(DAY / 16);
  });
});

describe("synthetic backtests", () => {
  test("a threshold never reached fires nothing", () => {
    const b = syntheticBacktest(rule({ threshold: 100, clear_threshold: null }), CPU, NOW - DAY, NOW, NOW, RETENTION)!;
    expect([b.events, b.periods, b.firings, b.notifications, b.firing_ms]).toEqual([[], [], 0, 0, 0]);
    expect(b.coverage, "the gap is a sixteenth of the range").toBeCloseTo(15 / 16, 2);
  });

  test("a condition always met fired before the range and fires throughout it", () => {
    const always = rule({ op: ">=", threshold: 0, clear_threshold: null, window: "1m" });
    const b = syntheticBacktest(always, CPU, NOW - DAY, NOW, NOW, RETENTION)!;
    expect(b.events, "it fired while the window filled, before the range").toEqual([]);
    expect(b.periods).toEqual([{ from: NOW - DAY, to: null }]);
    expect(b.firing_ms).toBeGreaterThan(DAY - 10 * MIN);
    expect(b.firing_ms).toBeLessThanOrEqual(DAY);
    const later = syntheticBacktest({ ...always, for: "10m" }, CPU, NOW - DAY, NOW, NOW, RETENTION)!;
    expect(later.events.map((e) => e.state), "held back by `for`, it fires in the range").toEqual(["firing"]);
    expect(later.events[0].at - (NOW - DAY)).toBeGreaterThanOrEqual(9 * MIN);
    expect(later.periods).toEqual([{ from: later.events[0].at, to: null }]);
    expect(later.notifications).toBe(1);
  });

  test("firing periods are where the comparison holds", () => {
    const r = rule();
    const b = syntheticBacktest(r, CPU, NOW - 7 * DAY, NOW, NOW, RETENTION)!;
    expect(b.firings, "the bursts of a week reach past 90 %").toBeGreaterThan(0);
    expect(b.periods.length).toBe(b.firings);
    for (const e of b.events) {
      if (e.state === "firing") expect(e.value!).toBeGreaterThan(90);
      if (e.state === "resolved") expect(e.value!).toBeLessThanOrEqual(80);
      expect([e.threshold, e.clear_threshold, e.window, e.severity]).toEqual([90, 80, "5m", "critical"]);
    }
    b.periods.forEach((p, i) => {
      expect(p.to ?? NOW).toBeGreaterThan(p.from);
      if (i > 0) expect(p.from).toBeGreaterThanOrEqual(b.periods[i - 1].to!);
      const during = syntheticHistory("cpu.total", CPU, p.from - 5 * MIN, p.to ?? NOW, 100, NOW);
      expect(Math.max(...readings(during).map((x) => x.max!)), "the chart shows the burst").toBeGreaterThan(90);
    });
    const total = b.periods.reduce((sum, p) => sum + ((p.to ?? NOW) - p.from), 0);
    expect(b.firing_ms).toBeCloseTo(total, -5);
    expect(b.notifications).toBe(b.events.filter((e) => e.notify).length);
    expect(b.notifications).toBe(b.events.length);
  });

  test("`for` holds back firings; no resolution notices when the rule does not want them", () => {
    const plain = syntheticBacktest(rule(), CPU, NOW - 7 * DAY, NOW, NOW, RETENTION)!;
    const held = syntheticBacktest(rule({ for: "20m" }), CPU, NOW - 7 * DAY, NOW, NOW, RETENTION)!;
    expect(held.firing_ms).toBeLessThan(plain.firing_ms);
    expect(held.firings).toBeLessThanOrEqual(plain.firings);
    const quiet = syntheticBacktest(rule({ notify_resolved: false }), CPU, NOW - 7 * DAY, NOW, NOW, RETENTION)!;
    expect(quiet.notifications).toBe(quiet.events.filter((e) => e.state !== "resolved").length);
    expect(quiet.notifications).toBeLessThan(quiet.events.length);
  });

  test("repeat_max caps the reminders of each firing period; a new firing counts afresh", () => {
    /** Reminders per firing period, in order. */
    const perPeriod = (over: Partial<RuleConfig>) => {
      const b = syntheticBacktest(rule({ repeat_every: "5m", ...over }), CPU, NOW - 7 * DAY, NOW, NOW, RETENTION)!;
      const counts: number[] = [];
      for (const e of b.events) {
        if (e.state === "firing") counts.push(0);
        else if (e.state === "reminder") counts[counts.length - 1] += 1;
      }
      expect(counts.length, "every period fired in the range").toBe(b.firings);
      return counts;
    };
    const free = perPeriod({});
    expect(free.length, "the bursts of a week fire more than once").toBeGreaterThan(1);
    expect(Math.min(...free), "each burst lasts past two reminders").toBeGreaterThanOrEqual(2);
    expect(Math.max(...free), "and some past three").toBeGreaterThan(2);
    expect(perPeriod({ repeat_max: null }), "null is no cap").toEqual(free);
    expect(perPeriod({ repeat_max: 2 }), "two in every period, not two in all").toEqual(free.map(() => 2));
    expect(perPeriod({ repeat_max: 1 })).toEqual(free.map(() => 1));
    expect(perPeriod({ repeat_max: 0 }), "0: firing and resolved notices only").toEqual(free.map(() => 0));
    expect(perPeriod({ repeat_max: 1000 }), "a cap never reached changes nothing").toEqual(free);
  });

  test("the tier is the finest that still holds the window's start", () => {
    const tierOf = (from: number, aggregate: RuleConfig["aggregate"] = "avg") => {
      const b = syntheticBacktest(rule({ aggregate }), CPU, from, NOW, NOW, RETENTION)!;
      return [b.tier, b.approximation];
    };
    expect(tierOf(NOW - HOUR)).toEqual(["raw", null]);
    expect(tierOf(NOW - 7 * DAY)).toEqual(["minute", "bucket_averages"]);
    expect(tierOf(NOW - 60 * DAY, "max")).toEqual(["quarter_hour", "bucket_extremes"]);
    expect(tierOf(NOW - 60 * DAY, "p95")).toEqual(["quarter_hour", "p95_from_max"]);
  });

  test("the rule preview's ranges (24 h, 7 and 30 days) replay sensibly", () => {
    const over = (days: number, r = rule()) => syntheticBacktest(r, CPU, NOW - days * DAY, NOW, NOW, RETENTION)!;
    const [day, week, month] = [over(1), over(7), over(30)];
    expect([day, week, month].map((b) => b.tier), "each from the finest tier holding it").toEqual(["raw", "minute", "quarter_hour"]);
    for (const [b, days] of [[day, 1], [week, 7], [month, 30]] as const) {
      expect([b.from, b.to]).toEqual([NOW - days * DAY, NOW]);
      expect(b.coverage, `${days} d: all but the gap`).toBeCloseTo(15 / 16, 2);
      expect(b.firing_ms).toBeLessThanOrEqual(days * DAY);
      for (const p of b.periods) {
        expect(p.from).toBeGreaterThanOrEqual(b.from);
        expect(p.to ?? NOW).toBeLessThanOrEqual(NOW);
      }
    }
    expect(month.firings, "a month of bursts reaches past 90 % at least as often as a week").toBeGreaterThanOrEqual(week.firings);
    expect(month.firings).toBeGreaterThan(0);
    const always = over(30, rule({ op: ">=", threshold: 0, clear_threshold: null }));
    expect(always.periods, "a condition always met fires throughout the month").toEqual([{ from: NOW - 30 * DAY, to: null }]);
    expect(always.firing_ms).toBeGreaterThan(29 * DAY);
  });

  test("a rule with only_when replays as if it had none (the fake has one metric's history at a time)", () => {
    const r = rule({ only_when: "battery.BAT0.charging < 1" });
    const b = syntheticBacktest(r, CPU, NOW - 7 * DAY, NOW, NOW, RETENTION);
    expect(b).toEqual(syntheticBacktest(rule(), CPU, NOW - 7 * DAY, NOW, NOW, RETENTION));
    expect(syntheticBacktest(rule({ only_when: "not a condition" }), CPU, NOW - DAY, NOW, NOW, RETENTION), "nor is it read").not.toBeNull();
  });

  test("a flag holds one state: 0 or 1, never in between", () => {
    const down = profileOf("probe.nas.up", [0, 0, 1, 0]);
    const on = profileOf("power.ac");
    const day = (p: typeof down) => readings(syntheticHistory("probe.nas.up", p, NOW - DAY, NOW, 600, NOW));
    expect(new Set(day(down).flatMap((p) => [p.min, p.avg, p.max]))).toEqual(new Set([0]));
    expect(new Set(day(on).flatMap((p) => [p.min, p.avg, p.max])), "nobody recorded it: 1").toEqual(new Set([1]));
  });

  test("a rule whose durations cannot be read is not guessed at", () => {
    expect(syntheticBacktest(rule({ window: "later" }), CPU, NOW - HOUR, NOW, NOW, RETENTION)).toBeNull();
    expect(syntheticBacktest(rule({ for: "soon" }), CPU, NOW - HOUR, NOW, NOW, RETENTION)).toBeNull();
  });
});
