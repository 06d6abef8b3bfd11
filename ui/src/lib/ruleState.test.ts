import { afterEach, describe, expect, test } from "vitest";
import type { LoggedAlert } from "./bindings/LoggedAlert";
import type { QuietHoursConfig } from "./bindings/QuietHoursConfig";
import type { RuleConfig } from "./bindings/RuleConfig";
import type { RuleStatus } from "./bindings/RuleStatus";
import { setLanguage } from "./i18n.svelte";
import { formatCountdown, lastFiredByRule, noteFirings, quietHoursEnd, ruleStateLines } from "./ruleState";

afterEach(() => setLanguage("en"));

/** 2025-01-05 16:15:00 local time. */
const NOW = new Date(2025, 0, 5, 16, 15, 0).getTime();
const MIN = 60_000;

function status(over: Partial<RuleStatus> = {}): RuleStatus {
  return { name: "CPU high", metric: "cpu.total", severity: "warning", enabled: true, phase: { phase: "inactive" }, value: 10, coverage: 1, snoozed_until: null, ...over };
}
const config = { name: "CPU high", for: "5m" } as RuleConfig;
const quiet = (start: string, end: string, mute_critical = false): QuietHoursConfig => ({ enabled: true, start, end, mute_critical });
function logged(rule: string, state: LoggedAlert["event"]["state"], at: number): LoggedAlert {
  return { id: at, event: { rule, state, at } as LoggedAlert["event"], actions: [] };
}

describe("rule states in words", () => {
  test("pending counts down the rule's `for`", () => {
    const r = status({ phase: { phase: "pending", since: NOW - 50_000 } });
    expect(ruleStateLines(r, { now: NOW, config })).toEqual(["Pending — fires in 4 min 10 s"]);
    expect(ruleStateLines(r, { now: NOW, config: null }), "no `for`: fires at the next check").toEqual(["Pending for 50 s — fires at the next check"]);
    expect(ruleStateLines(r, { now: NOW + 10 * MIN, config }), "overdue is never negative").toEqual(["Pending for 10 min — fires at the next check"]);
  });

  test("firing and clearing say since when and for how long", () => {
    const since = new Date(2025, 0, 5, 14, 5, 0).getTime();
    const r = status({ phase: { phase: "firing", since, last_notified: since, clearing_since: null, reminders: 0 } });
    expect(ruleStateLines(r, { now: NOW, lastFired: since - MIN })).toEqual(["Firing since 02:05:00 PM (2 h 10 min)"]);
    const clearing = status({ phase: { phase: "firing", since, last_notified: since, clearing_since: NOW - 90_000, reminders: 0 } });
    expect(ruleStateLines(clearing, { now: NOW })[1]).toBe("Clearing since 04:13:30 PM (1 min)");
  });

  test("inactive rules say when they last fired, if they ever did", () => {
    expect(ruleStateLines(status(), { now: NOW, lastFired: NOW - 3 * 3_600_000 })).toEqual(["Last fired 3 h ago"]);
    expect(ruleStateLines(status(), { now: NOW })).toEqual([]);
  });

  test("a snooze in the future silences, one in the past does not", () => {
    const until = new Date(2025, 0, 5, 17, 0, 0).getTime();
    expect(ruleStateLines(status({ snoozed_until: until }), { now: NOW })).toEqual(["Silenced until 05:00:00 PM"]);
    expect(ruleStateLines(status({ snoozed_until: NOW - 1 }), { now: NOW })).toEqual([]);
    expect(ruleStateLines(status({ snoozed_until: until, enabled: false }), { now: NOW }), "off rules are not silenced").toEqual([]);
  });

  test("quiet hours silence warnings, and critical rules only when asked", () => {
    const q = quiet("16:00", "18:30");
    expect(ruleStateLines(status(), { now: NOW, quietHours: q })).toEqual(["Silenced until 06:30:00 PM (quiet hours)"]);
    expect(ruleStateLines(status({ severity: "critical" }), { now: NOW, quietHours: q })).toEqual([]);
    expect(ruleStateLines(status({ severity: "critical" }), { now: NOW, quietHours: quiet("16:00", "18:30", true) })).toHaveLength(1);
  });

  test("Korean", () => {
    setLanguage("ko");
    const r = status({ phase: { phase: "pending", since: NOW - 50_000 } });
    expect(ruleStateLines(r, { now: NOW, config })).toEqual(["대기 중 — 4분 10초 후 발생"]);
  });
});

describe("quiet hours", () => {
  test("a span within a day", () => {
    expect(quietHoursEnd(quiet("09:00", "17:00"), NOW)).toBe(new Date(2025, 0, 5, 17, 0).getTime());
    expect(quietHoursEnd(quiet("09:00", "16:15"), NOW), "the end itself is outside").toBeNull();
    expect(quietHoursEnd({ ...quiet("09:00", "17:00"), enabled: false }, NOW)).toBeNull();
  });
  test("a span over midnight ends the next morning", () => {
    const late = new Date(2025, 0, 5, 23, 0).getTime();
    expect(quietHoursEnd(quiet("22:00", "07:00"), late)).toBe(new Date(2025, 0, 6, 7, 0).getTime());
    const early = new Date(2025, 0, 6, 6, 59).getTime();
    expect(quietHoursEnd(quiet("22:00", "07:00"), early)).toBe(new Date(2025, 0, 6, 7, 0).getTime());
    expect(quietHoursEnd(quiet("22:00", "07:00"), NOW)).toBeNull();
    expect(quietHoursEnd(quiet("22:00", "bad"), late)).toBeNull();
  });
});

describe("the last firing of each rule", () => {
  test("the newest firing or reminder wins, whatever the order", () => {
    const m = lastFiredByRule([logged("a", "firing", 100), logged("a", "reminder", 300), logged("a", "resolved", 400), logged("b", "pending", 500), logged("a", "firing", 200)]);
    expect(m.get("a")).toBe(300);
    expect(m.has("b"), "pending is not firing").toBe(false);
  });
  test("firings seen live are added", () => {
    const m = new Map([["CPU high", 100]]);
    expect(noteFirings(m, [status({ phase: { phase: "firing", since: 900, last_notified: 900, clearing_since: null, reminders: 0 } })])).toBe(true);
    expect(m.get("CPU high")).toBe(900);
    expect(noteFirings(m, [status()])).toBe(false);
  });
  test("countdowns keep seconds under an hour", () => {
    expect(formatCountdown(250_000)).toBe("4 min 10 s");
    expect(formatCountdown(240_000)).toBe("4 min");
    expect(formatCountdown(2 * 3_600_000 + 5_000)).toBe("2 h");
  });
});
