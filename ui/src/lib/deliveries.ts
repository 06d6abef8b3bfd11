// The delivery log view's logic: the channel and outcome filters of the attempts, each
// outcome's words and chip colour, what a waiting email says about its next attempt and
// whether it can be sent now, and which alert log entries the log names that are not loaded.
// Pure apart from t(): the view keeps the filter while it is open and applies it to each refresh.
import type { Channel } from "./bindings/Channel";
import type { DeliveryAttempt } from "./bindings/DeliveryAttempt";
import type { DeliveryLog } from "./bindings/DeliveryLog";
import type { DeliveryOutcome } from "./bindings/DeliveryOutcome";
import type { LoggedAlert } from "./bindings/LoggedAlert";
import type { OutboxMessage } from "./bindings/OutboxMessage";
import type { Timestamp } from "./bindings/Timestamp";
import { alertHref as entryHref } from "./alertLink";
import { formatList, formatRelative } from "./format";
import { t } from "./i18n.svelte";
import { eventLabel } from "./labels";

/** The channels to choose from, in the order the select lists them. */
export const CHANNELS: readonly Channel[] = ["desktop", "email"];

/** The outcomes to choose from: delivered, tried again later, given up. */
export const OUTCOMES: readonly DeliveryOutcome[] = ["ok", "retry", "failed"];

/** Which attempts to show; "all" lets every one through. */
export type DeliveryFilter = { channel: Channel | "all"; outcome: DeliveryOutcome | "all" };

export const NO_DELIVERY_FILTER: DeliveryFilter = { channel: "all", outcome: "all" };

/** The attempts `filter` lets through, in their order. */
export function filterAttempts(attempts: readonly DeliveryAttempt[], filter: DeliveryFilter): DeliveryAttempt[] {
  return attempts.filter(
    (a) => (filter.channel === "all" || a.channel === filter.channel) && (filter.outcome === "all" || a.outcome === filter.outcome),
  );
}

/** Whether the filter hides anything at all. */
export function isFilteringDeliveries(filter: DeliveryFilter): boolean {
  return filter.channel !== "all" || filter.outcome !== "all";
}

const OUTCOME_IDS: Record<DeliveryOutcome, string> = {
  ok: "ui-delivery-outcome-ok",
  retry: "ui-delivery-outcome-retry",
  failed: "ui-delivery-outcome-failed",
};

/** "ok" -> "Delivered", "retry" -> "Will retry", "failed" -> "Failed". */
export function outcomeLabel(outcome: DeliveryOutcome): string {
  return OUTCOME_IDS[outcome] ? t(OUTCOME_IDS[outcome]) : outcome;
}

/** The chip class of an outcome, in the colours states use elsewhere (ok, warning, critical). */
export function outcomeChip(outcome: DeliveryOutcome): "ok" | "warning" | "critical" {
  return outcome === "ok" ? "ok" : outcome === "retry" ? "warning" : "critical";
}

/** A waiting email can be sent now when it is not being sent already and email is on. */
export function canSendNow(message: OutboxMessage, emailOn: boolean): boolean {
  return message.status === "pending" && emailOn;
}

/** "next attempt in 4 min", or "due now" once its time has come. */
export function nextAttemptText(message: OutboxMessage, now: Timestamp): string {
  return message.next_attempt_at <= now
    ? t("ui-delivery-next-due")
    : t("ui-delivery-next-attempt", { when: formatRelative(message.next_attempt_at, now) });
}

/** "To a@example.com and b@example.com". */
export function recipientsText(recipients: readonly string[]): string {
  return t("ui-delivery-recipients", { recipients: formatList(recipients) });
}

/** Where a delivery's alert links to: its alert log entry; null for a test message. */
export function alertHref(eventId: number | null): string | null {
  return eventId === null ? null : entryHref(eventId);
}

/** The words of an attempt's alert: its rule and what happened, or its number if not loaded. */
export function alertText(eventId: number, alerts: ReadonlyMap<number, LoggedAlert>): string {
  const entry = alerts.get(eventId);
  return entry
    ? t("ui-delivery-alert", { rule: entry.event.rule, state: eventLabel(entry.event.state) })
    : t("ui-delivery-alert-id", { id: eventId });
}

/** The alert log entries the log names that are in neither `known` nor `asked`, ascending. */
export function unknownEvents(log: DeliveryLog, known: ReadonlyMap<number, unknown>, asked: ReadonlySet<number> = new Set()): number[] {
  const ids = new Set<number>();
  for (const x of [...log.attempts, ...log.waiting])
    if (x.event_id !== null && !known.has(x.event_id) && !asked.has(x.event_id)) ids.add(x.event_id);
  return [...ids].sort((a, b) => a - b);
}

/** An alert comes before its deliveries: how far before the oldest of them its entry is looked for. */
export const ALERT_LEAD_MS = 3_600_000;

/**
 * The oldest instant the alert log must be read from to find every entry the log names: an
 * hour before its oldest attempt or waiting email (their alerts came shortly before them).
 * Null when it names none.
 */
export function alertsSince(log: DeliveryLog): Timestamp | null {
  const times = [
    ...log.attempts.filter((a) => a.event_id !== null).map((a) => a.at),
    ...log.waiting.filter((m) => m.event_id !== null).map((m) => m.created_at),
  ];
  return times.length === 0 ? null : Math.min(...times) - ALERT_LEAD_MS;
}
