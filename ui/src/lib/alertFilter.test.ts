import { describe, expect, test } from "vitest";
import type { AlertEvent } from "./bindings/AlertEvent";
import type { LoggedAlert } from "./bindings/LoggedAlert";
import {
  DEFAULT_RANGE, NO_FILTER, SEVERITIES, STATES, TIME_RANGES, filterAlerts, isFiltering, matchesFilter, rangeSince, ruleOptions, timeRange,
  withinRange, type AlertFilter,
} from "./alertFilter";

let nextId = 1;
const entry = (rule: string, state: AlertEvent["state"], severity: AlertEvent["severity"]): LoggedAlert => {
  const id = nextId++;
  return {
    id,
    event: {
      rule, state, severity, metric: "cpu.total", value: 91, threshold: 90, clear_threshold: 85, op: ">",
      aggregate: "avg", window: "5m", at: 1_700_000_000_000 - id * 60_000, since: 1_700_000_000_000 - id * 60_000,
      coverage: 1, channels: [], notify: state !== "pending",
    },
    actions: [],
  };
};

/** A log, newest first, as the view gets it: every rule, severity and state mixed. */
const LOG: LoggedAlert[] = [
  entry("Root disk almost full", "firing", "warning"),
  entry("CPU saturated", "resolved", "critical"),
  entry("CPU saturated", "firing", "critical"),
  entry("CPU saturated", "pending", "critical"),
  entry("Memory almost full", "gave_up", "critical"),
  entry("Memory almost full", "reminder", "warning"),
  entry("Memory almost full", "firing", "warning"),
  entry("Root disk almost full", "resolved", "warning"),
];
const ids = (alerts: LoggedAlert[]) => alerts.map((a) => a.id);
const filter = (f: Partial<AlertFilter>): AlertFilter => ({ ...NO_FILTER, ...f });

describe("the alert log filter", () => {
  test("no filter hides nothing and keeps the order", () => {
    expect(isFiltering(NO_FILTER)).toBe(false);
    const all = filterAlerts(LOG, NO_FILTER);
    expect(ids(all)).toEqual(ids(LOG));
    expect(all, "a new array: the loaded log is not handed out to be changed").not.toBe(LOG);
  });

  test("critical only leaves only the critical entries, newest first", () => {
    const shown = filterAlerts(LOG, filter({ severity: "critical" }));
    expect(shown.map((a) => a.event.severity)).toEqual(["critical", "critical", "critical", "critical"]);
    expect(ids(shown)).toEqual(ids(LOG.filter((a) => a.event.severity === "critical")));
    expect(ids(filterAlerts(LOG, filter({ severity: "warning" }))), "and warning the rest").toEqual(
      ids(LOG.filter((a) => a.event.severity === "warning")),
    );
  });

  test("a state leaves only the entries in that state", () => {
    expect(filterAlerts(LOG, filter({ state: "firing" })).map((a) => `${a.event.rule}: ${a.event.state}`)).toEqual([
      "Root disk almost full: firing", "CPU saturated: firing", "Memory almost full: firing",
    ]);
    expect(filterAlerts(LOG, filter({ state: "gave_up" })).map((a) => a.event.rule)).toEqual(["Memory almost full"]);
    for (const state of STATES) {
      const shown = filterAlerts(LOG, filter({ state }));
      expect(shown.length, state).toBeGreaterThan(0);
      expect(shown.every((a) => a.event.state === state), state).toBe(true);
    }
  });

  test("a rule leaves only that rule's entries, by its exact name", () => {
    expect(ids(filterAlerts(LOG, filter({ rule: "CPU saturated" })))).toEqual([LOG[1].id, LOG[2].id, LOG[3].id]);
    expect(filterAlerts(LOG, filter({ rule: "cpu saturated" })), "names are matched as written").toEqual([]);
    expect(filterAlerts(LOG, filter({ rule: "CPU" })), "not by a part of the name").toEqual([]);
  });

  test("filters combine: an entry must pass every one", () => {
    const f = filter({ rule: "Memory almost full", severity: "warning", state: "firing" });
    expect(isFiltering(f)).toBe(true);
    expect(ids(filterAlerts(LOG, f))).toEqual([LOG[6].id]);
    expect(matchesFilter(LOG[5], f), "a reminder of that rule").toBe(false);
    expect(filterAlerts(LOG, filter({ rule: "Root disk almost full", severity: "critical" })), "nothing matches").toEqual([]);
  });

  test("each filter on its own counts as filtering", () => {
    expect(isFiltering(filter({ rule: "CPU saturated" }))).toBe(true);
    for (const severity of SEVERITIES) expect(isFiltering(filter({ severity })), severity).toBe(true);
    for (const state of STATES) expect(isFiltering(filter({ state })), state).toBe(true);
  });
});

describe("the rules to choose from", () => {
  test("are the distinct rule names of the log, sorted", () => {
    expect(ruleOptions(LOG)).toEqual(["CPU saturated", "Memory almost full", "Root disk almost full"]);
    expect(ruleOptions([])).toEqual([]);
  });

  test("sort as words, not by character codes", () => {
    const log = [entry("swap", "firing", "warning"), entry("Disk", "firing", "warning"), entry("cpu", "firing", "warning"), entry("Disk", "resolved", "warning")];
    expect(ruleOptions(log)).toEqual(["cpu", "Disk", "swap"]);
  });

  test("keep a chosen rule the loaded log no longer names", () => {
    expect(ruleOptions(LOG, "Load high")).toEqual(["CPU saturated", "Load high", "Memory almost full", "Root disk almost full"]);
    expect(ruleOptions(LOG, "CPU saturated"), "listed once").toEqual(["CPU saturated", "Memory almost full", "Root disk almost full"]);
  });
});

describe("the time ranges", () => {
  const NOW = 1_700_000_000_000;
  const HOUR = 3_600_000;
  const at = (msAgo: number): LoggedAlert => {
    const a = entry("Load high", "firing", "warning");
    return { ...a, event: { ...a.event, at: NOW - msAgo } };
  };

  test("are the last hour, 24 hours, 7 days, 30 days and everything, shortest first", () => {
    expect(TIME_RANGES.map((r) => r.id)).toEqual(["1h", "24h", "7d", "30d", "all"]);
    expect(TIME_RANGES.map((r) => rangeSince(r.id, NOW))).toEqual([NOW - HOUR, NOW - 24 * HOUR, NOW - 168 * HOUR, NOW - 720 * HOUR, null]);
    expect(DEFAULT_RANGE).toBe("24h");
    expect(timeRange("30d").span).toBe("month");
    expect(new Set(TIME_RANGES.map((r) => r.labelId)).size, "each has its own label").toBe(TIME_RANGES.length);
  });

  test("keep the entries at or after their start, in order", () => {
    const log = [at(0), at(HOUR - 1), at(HOUR), at(HOUR + 1), at(2 * 24 * HOUR), at(10 * 24 * HOUR), at(40 * 24 * HOUR), at(3 * 365 * 24 * HOUR)];
    const kept = (id: (typeof TIME_RANGES)[number]["id"]) => withinRange(log, id, NOW).map((a) => NOW - a.event.at);
    expect(kept("1h"), "exactly an hour ago is still in the last hour").toEqual([0, HOUR - 1, HOUR]);
    expect(kept("24h")).toEqual([0, HOUR - 1, HOUR, HOUR + 1]);
    expect(kept("7d")).toEqual([0, HOUR - 1, HOUR, HOUR + 1, 48 * HOUR]);
    expect(kept("30d")).toEqual([0, HOUR - 1, HOUR, HOUR + 1, 48 * HOUR, 240 * HOUR]);
    expect(kept("all"), "everything, however old").toEqual(log.map((a) => NOW - a.event.at));
    expect(withinRange(log, "all", NOW), "a new array").not.toBe(log);
    expect(withinRange([], "1h", NOW)).toEqual([]);
  });

  test("move with the clock: an entry leaves the last hour as time passes", () => {
    const log = [at(30 * 60_000)];
    expect(withinRange(log, "1h", NOW).length).toBe(1);
    expect(withinRange(log, "1h", NOW + 31 * 60_000).length).toBe(0);
  });
});
