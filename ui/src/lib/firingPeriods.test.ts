// The alert log paired into firing periods, the part of them a chart shows, and their words.
import { afterEach, describe, expect, test } from "vitest";
import type { EventKind } from "./bindings/EventKind";
import type { LoggedAlert } from "./bindings/LoggedAlert";
import type { RuleStatus } from "./bindings/RuleStatus";
import type { Severity } from "./bindings/Severity";
import {
  chartPeriods, firingAt, firingNow, firingPeriods, periodText, type AlertPeriod, type ChartPeriod,
} from "./firingPeriods";
import { setLanguage } from "./i18n.svelte";

afterEach(() => setLanguage("en"));

const MIN = 60_000;
const T0 = 1_700_000_000_000;
let nextId = 1;

/** A log entry of `rule` on `metric`: `state` at `at`, the firing having begun at `since`. */
function entry(rule: string, state: EventKind, at: number, since = at, opts: { metric?: string; severity?: Severity } = {}): LoggedAlert {
  return {
    id: nextId++,
    actions: [],
    event: {
      rule, state, at, since, metric: opts.metric ?? "cpu.total", value: 95, threshold: 90, clear_threshold: 90, op: ">",
      aggregate: "avg", window: "1m", severity: opts.severity ?? "critical", coverage: 1, channels: [], notify: true,
    },
  };
}
/** As get_alerts answers: newest first. */
const newestFirst = (log: LoggedAlert[]) => [...log].sort((a, b) => b.event.at - a.event.at || b.id - a.id);

describe("pairing the alert log into firing periods", () => {
  test("a firing and its resolution make one period from the firing to the resolution", () => {
    const log = newestFirst([entry("CPU hot", "pending", T0 - MIN), entry("CPU hot", "firing", T0), entry("CPU hot", "resolved", T0 + 5 * MIN, T0)]);
    expect(firingPeriods(log, ["CPU hot"])).toEqual([{ rule: "CPU hot", metric: "cpu.total", severity: "critical", from: T0, to: T0 + 5 * MIN }]);
  });

  test("a rule still firing has an open period; reminders and giving up start none and end none", () => {
    const log = newestFirst([
      entry("CPU hot", "firing", T0),
      entry("CPU hot", "reminder", T0 + 10 * MIN, T0),
      entry("CPU hot", "gave_up", T0 + 11 * MIN, T0),
      entry("CPU hot", "reminder", T0 + 20 * MIN, T0),
    ]);
    expect(firingPeriods(log, ["CPU hot"])).toEqual([{ rule: "CPU hot", metric: "cpu.total", severity: "critical", from: T0, to: null }]);
  });

  test("the log read newest first (or shuffled) pairs by time", () => {
    const events = [
      entry("CPU hot", "firing", T0),
      entry("CPU hot", "resolved", T0 + MIN, T0),
      entry("CPU hot", "firing", T0 + 3 * MIN),
      entry("CPU hot", "resolved", T0 + 4 * MIN, T0 + 3 * MIN),
    ];
    const expected = [
      { rule: "CPU hot", metric: "cpu.total", severity: "critical", from: T0, to: T0 + MIN },
      { rule: "CPU hot", metric: "cpu.total", severity: "critical", from: T0 + 3 * MIN, to: T0 + 4 * MIN },
    ];
    expect(firingPeriods(newestFirst(events), ["CPU hot"])).toEqual(expected);
    expect(firingPeriods([events[2], events[0], events[3], events[1]], ["CPU hot"])).toEqual(expected);
  });

  test("several rules on one metric keep their own periods and severities", () => {
    const log = newestFirst([
      entry("CPU busy", "firing", T0, T0, { severity: "warning" }),
      entry("CPU saturated", "firing", T0 + MIN),
      entry("CPU saturated", "resolved", T0 + 2 * MIN, T0 + MIN),
      entry("CPU busy", "resolved", T0 + 6 * MIN, T0, { severity: "warning" }),
    ]);
    expect(firingPeriods(log, ["CPU busy", "CPU saturated"])).toEqual([
      { rule: "CPU busy", metric: "cpu.total", severity: "warning", from: T0, to: T0 + 6 * MIN },
      { rule: "CPU saturated", metric: "cpu.total", severity: "critical", from: T0 + MIN, to: T0 + 2 * MIN },
    ]);
  });

  test("rules the config does not have are left out", () => {
    const log = newestFirst([entry("Old rule", "firing", T0), entry("CPU hot", "firing", T0 + MIN)]);
    expect(firingPeriods(log, ["CPU hot"]).map((p) => p.rule)).toEqual(["CPU hot"]);
    expect(firingPeriods(log, [])).toEqual([]);
  });

  test("a firing older than the log read: the resolution or a reminder says since when", () => {
    const resolved = newestFirst([entry("CPU hot", "resolved", T0 + 5 * MIN, T0 - 2 * 60 * MIN)]);
    expect(firingPeriods(resolved, ["CPU hot"])).toEqual([
      { rule: "CPU hot", metric: "cpu.total", severity: "critical", from: T0 - 2 * 60 * MIN, to: T0 + 5 * MIN },
    ]);
    const reminded = newestFirst([entry("CPU hot", "reminder", T0 + 5 * MIN, T0 - 60 * MIN)]);
    expect(firingPeriods(reminded, ["CPU hot"])).toEqual([
      { rule: "CPU hot", metric: "cpu.total", severity: "critical", from: T0 - 60 * MIN, to: null },
    ]);
  });

  test("a rule the latest tick shows firing runs on when the log has no open period of it", () => {
    const rules: RuleStatus[] = [
      { name: "Disk full", metric: "disk./.used_pct", severity: "warning", enabled: true, phase: { phase: "firing", since: T0 - 3 * 24 * 60 * MIN, last_notified: T0, clearing_since: null, reminders: 0 }, value: 95, coverage: 1, snoozed_until: null },
      { name: "CPU hot", metric: "cpu.total", severity: "critical", enabled: true, phase: { phase: "firing", since: T0 - MIN, last_notified: T0, clearing_since: null, reminders: 0 }, value: 95, coverage: 1, snoozed_until: null },
      { name: "Quiet", metric: "load.1", severity: "warning", enabled: true, phase: { phase: "inactive" }, value: 1, coverage: 1, snoozed_until: null },
    ];
    const now = firingNow(rules);
    expect(now.map((f) => f.rule)).toEqual(["Disk full", "CPU hot"]);
    const log = newestFirst([entry("CPU hot", "firing", T0 - 2 * MIN)]);
    expect(firingPeriods(log, ["Disk full", "CPU hot", "Quiet"], now)).toEqual([
      { rule: "Disk full", metric: "disk./.used_pct", severity: "warning", from: T0 - 3 * 24 * 60 * MIN, to: null },
      { rule: "CPU hot", metric: "cpu.total", severity: "critical", from: T0 - 2 * MIN, to: null },
    ]);
    expect(firingPeriods([], ["CPU hot"], now).map((p) => p.rule), "only known rules").toEqual(["CPU hot"]);
  });
});

describe("the periods one chart shows", () => {
  const periods: AlertPeriod[] = [
    { rule: "CPU busy", metric: "cpu.total", severity: "warning", from: T0 - 60 * MIN, to: T0 + 5 * MIN },
    { rule: "Mem full", metric: "mem.used_pct", severity: "critical", from: T0 + MIN, to: T0 + 2 * MIN },
    { rule: "CPU hot", metric: "cpu.total", severity: "critical", from: T0 + 8 * MIN, to: null },
    { rule: "CPU hot", metric: "cpu.total", severity: "critical", from: T0 - 90 * MIN, to: T0 - 80 * MIN },
  ];

  test("those of the chart's metrics that overlap its span, clipped to it, in time order", () => {
    expect(chartPeriods(periods, ["cpu.total"], T0, T0 + 10 * MIN)).toEqual([
      { rule: "CPU busy", metric: "cpu.total", severity: "warning", from: T0, to: T0 + 5 * MIN, began: T0 - 60 * MIN, ended: T0 + 5 * MIN },
      { rule: "CPU hot", metric: "cpu.total", severity: "critical", from: T0 + 8 * MIN, to: null, began: T0 + 8 * MIN, ended: null },
    ]);
    expect(chartPeriods(periods, ["cpu.total"], T0, T0 + 4 * MIN).map((p) => [p.from, p.to]), "clipped at the end too").toEqual([[T0, T0 + 4 * MIN]]);
    expect(chartPeriods(periods, ["mem.used_pct", "swap.used_pct"], T0, T0 + 10 * MIN).map((p) => p.rule)).toEqual(["Mem full"]);
    expect(chartPeriods(periods, ["load.1"], T0, T0 + 10 * MIN)).toEqual([]);
    expect(chartPeriods(periods, ["cpu.total"], T0 - 100 * MIN, T0 + 10 * MIN)).toHaveLength(3);
  });

  test("which rules fire at a point: once each, open periods to the end", () => {
    const shown: ChartPeriod[] = chartPeriods(
      [...periods, { rule: "CPU busy", metric: "cpu.total", severity: "warning", from: T0 + 9 * MIN, to: null }],
      ["cpu.total"], T0, T0 + 10 * MIN,
    );
    expect(firingAt(shown, T0 + MIN)).toEqual(["CPU busy"]);
    expect(firingAt(shown, T0 + 6 * MIN)).toEqual([]);
    expect(firingAt(shown, T0 + 9.5 * MIN)).toEqual(["CPU hot", "CPU busy"]);
    expect(firingAt(shown, T0 + 60 * MIN)).toEqual(["CPU hot", "CPU busy"]);
  });

  test("in words, with the times the period really began and ended", () => {
    const [past, open] = chartPeriods(periods, ["cpu.total"], T0, T0 + 10 * MIN);
    const closed = periodText(past, false);
    expect(closed).toMatch(/^CPU busy \(warning\): .+ to .+$/);
    expect(closed).not.toMatch(/:\d\d:\d\d/);
    expect(periodText(open, true)).toMatch(/^CPU hot \(critical\): since .+:\d\d:\d\d.*, still firing$/);
    setLanguage("ko");
    expect(periodText(open, false)).toContain("발생 중");
  });
});
