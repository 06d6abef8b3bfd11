// The delivery log view's logic: filters, outcome words and colours, a waiting email's next
// attempt and "send now", and the alert log entries it must look up.
import { afterEach, describe, expect, test } from "vitest";
import type { DeliveryAttempt } from "./bindings/DeliveryAttempt";
import type { DeliveryLog } from "./bindings/DeliveryLog";
import type { LoggedAlert } from "./bindings/LoggedAlert";
import type { OutboxMessage } from "./bindings/OutboxMessage";
import {
  ALERT_LEAD_MS, CHANNELS, NO_DELIVERY_FILTER, OUTCOMES, alertHref, alertText, alertsSince, canSendNow, filterAttempts,
  isFilteringDeliveries, nextAttemptText, outcomeChip, outcomeLabel, recipientsText, unknownEvents,
} from "./deliveries";
import { setLanguage } from "./i18n.svelte";

afterEach(() => setLanguage("en"));

const MIN = 60_000;
const NOW = 1_700_000_000_000;

function attempt(id: number, channel: DeliveryAttempt["channel"], outcome: DeliveryAttempt["outcome"], eventId: number | null = 1): DeliveryAttempt {
  return { id, at: NOW - id * MIN, channel, event_id: eventId, outbox_id: channel === "email" ? id : null, outcome, detail: `attempt ${id}` };
}

function message(over: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: 5, created_at: NOW - 10 * MIN, event_id: 3, subject: "[Lookout] CRITICAL: CPU saturated is firing on box",
    recipients: ["me@example.com"], attempts: 2, next_attempt_at: NOW + 4 * MIN, status: "pending",
    last_error: "Connection refused", sent_at: null, ...over,
  };
}

const ATTEMPTS = [attempt(1, "email", "retry"), attempt(2, "desktop", "ok"), attempt(3, "email", "ok"), attempt(4, "email", "failed"), attempt(5, "desktop", "ok", null)];

describe("the attempts' filters", () => {
  test("no filter lets every attempt through, in order", () => {
    expect(filterAttempts(ATTEMPTS, NO_DELIVERY_FILTER)).toEqual(ATTEMPTS);
    expect(isFilteringDeliveries(NO_DELIVERY_FILTER)).toBe(false);
  });

  test("by channel, by outcome, and both at once", () => {
    const ids = (f: Parameters<typeof filterAttempts>[1]) => filterAttempts(ATTEMPTS, f).map((a) => a.id);
    expect(ids({ channel: "email", outcome: "all" })).toEqual([1, 3, 4]);
    expect(ids({ channel: "all", outcome: "ok" })).toEqual([2, 3, 5]);
    expect(ids({ channel: "email", outcome: "ok" })).toEqual([3]);
    expect(ids({ channel: "desktop", outcome: "failed" })).toEqual([]);
    expect(isFilteringDeliveries({ channel: "all", outcome: "retry" })).toBe(true);
    expect(isFilteringDeliveries({ channel: "desktop", outcome: "all" })).toBe(true);
  });

  test("offer every channel and outcome the bindings know", () => {
    expect(CHANNELS).toEqual(["desktop", "email"]);
    expect(OUTCOMES).toEqual(["ok", "retry", "failed"]);
  });
});

describe("outcomes", () => {
  test("in words of the window's language", () => {
    expect(OUTCOMES.map(outcomeLabel)).toEqual(["Delivered", "Will retry", "Failed"]);
    setLanguage("ko");
    expect(OUTCOMES.map(outcomeLabel)).toEqual(["전달됨", "재시도 예정", "실패"]);
  });

  test("in the chip colours of states: ok green, retry amber, failed red", () => {
    expect(OUTCOMES.map(outcomeChip)).toEqual(["ok", "warning", "critical"]);
  });
});

describe("a waiting email", () => {
  test("can be sent now only when pending and email is on", () => {
    expect(canSendNow(message(), true)).toBe(true);
    expect(canSendNow(message({ status: "sending" }), true), "already being sent").toBe(false);
    expect(canSendNow(message(), false), "email is off").toBe(false);
  });

  test("says when its next attempt is, or that it is due", () => {
    expect(nextAttemptText(message(), NOW)).toBe("next attempt in 4 min");
    expect(nextAttemptText(message({ next_attempt_at: NOW - 5000 }), NOW)).toBe("next attempt due now");
    setLanguage("ko");
    expect(nextAttemptText(message(), NOW)).toBe("다음 시도: 4분 후");
  });

  test("names its recipients as a list", () => {
    expect(recipientsText(["a@example.com", "b@example.com"])).toBe("To a@example.com and b@example.com");
    setLanguage("ko");
    expect(recipientsText(["a@example.com"])).toBe("받는 사람: a@example.com");
  });
});

describe("links to the alert log", () => {
  const entry = { id: 7, event: { rule: "Root disk almost full", state: "firing" }, actions: [] } as unknown as LoggedAlert;

  test("go to the alert's own entry of the alert log, nowhere for a test message", () => {
    expect(alertHref(7)).toBe("#/alerts/7");
    expect(alertHref(null)).toBeNull();
  });

  test("name the alert's rule and what happened, or its number when it is not loaded", () => {
    const known = new Map([[7, entry]]);
    expect(alertText(7, known)).toBe("Root disk almost full (Firing)");
    expect(alertText(8, known)).toBe("Alert #8");
    setLanguage("ko");
    expect(alertText(7, known)).toBe("Root disk almost full (발생)");
  });

  test("the entries to look up: those named and neither known nor asked for already", () => {
    const log: DeliveryLog = {
      attempts: [attempt(1, "email", "retry", 4), attempt(2, "desktop", "ok", 2), attempt(3, "desktop", "ok", null)],
      waiting: [message({ event_id: 9 }), message({ event_id: 4 })],
    };
    expect(unknownEvents(log, new Map())).toEqual([2, 4, 9]);
    expect(unknownEvents(log, new Map([[4, entry]]), new Set([9]))).toEqual([2]);
    expect(unknownEvents({ attempts: [], waiting: [] }, new Map())).toEqual([]);
  });

  test("are looked for from an hour before the oldest delivery that names one", () => {
    const log: DeliveryLog = {
      attempts: [attempt(1, "email", "retry"), attempt(30, "desktop", "ok", null)],
      waiting: [message({ created_at: NOW - 10 * MIN })],
    };
    expect(alertsSince(log), "the test message's time does not count").toBe(NOW - 10 * MIN - ALERT_LEAD_MS);
    expect(alertsSince({ attempts: [attempt(3, "desktop", "ok", null)], waiting: [] })).toBeNull();
  });
});
