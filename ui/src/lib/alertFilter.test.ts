import { describe, expect, test } from "vitest";
import type { AlertEvent } from "./bindings/AlertEvent";
import type { LoggedAlert } from "./bindings/LoggedAlert";
import { NO_FILTER, SEVERITIES, STATES, filterAlerts, isFiltering, matchesFilter, ruleOptions, type AlertFilter } from "./alertFilter";

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
