// The fake backend's delivery log (nothing like it was recorded, so it is made up, the same way
// every time, from the recorded alert log's ids and times). Every announced alert was shown on
// the desktop, and sent by email: the oldest emails were delivered (one after a retry), one was
// given up (the server refused its recipient), and the three newest are still waiting: two due
// again later after failed attempts, the newest being sent right now (it stays so: the fake has
// no sender). Plus one desktop test notification. "Send now" delivers a waiting email at once;
// the real monitor makes it due and its sender tries it.
import type { ApiError } from "../bindings/ApiError";
import type { Channel } from "../bindings/Channel";
import type { ChannelStatus } from "../bindings/ChannelStatus";
import type { DeliveryAttempt } from "../bindings/DeliveryAttempt";
import type { DeliveryLog } from "../bindings/DeliveryLog";
import type { EventKind } from "../bindings/EventKind";
import type { OutboxMessage } from "../bindings/OutboxMessage";
import type { Severity } from "../bindings/Severity";
import type { Timestamp } from "../bindings/Timestamp";

/** What the made-up log needs of an alert log entry. */
export type FakeAlert = {
  id: number;
  at: Timestamp;
  rule: string;
  state: EventKind;
  severity: Severity;
  /** Whether channels announced it (entries that were not get no deliveries). */
  notify: boolean;
};

/** Where the emails went: the saved config's SMTP server and recipients. */
export type FakeMailSetup = { host: string; port?: number | null; to: string[] };

/** The most attempts one answer holds (as the monitor's MAX_DELIVERIES). */
export const MAX_DELIVERIES = 1000;

const SEC = 1000;
const MIN = 60 * SEC;
/** The machine the emails name. */
const HOST = "workstation";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The subject Lookout's default email template gives an alert (see email-subject-* in en.ftl). */
export function subjectOf(a: FakeAlert): string {
  const label = a.state === "resolved" ? "RESOLVED" : a.severity === "critical" ? "CRITICAL" : "WARNING";
  const what: Record<EventKind, string> = {
    pending: `${a.rule} is pending`,
    firing: `${a.rule} is firing`,
    reminder: `${a.rule} is still firing`,
    resolved: a.rule,
    gave_up: `gave up on the action of ${a.rule}`,
  };
  return `[Lookout] ${label}: ${what[a.state]} on ${HOST}`;
}

/** A server's "accepted" answer, with a queue id made from the message id. */
function accepted(outboxId: number): string {
  const queue = ((outboxId * 2654435761) >>> 0).toString(16).toUpperCase().padStart(8, "0");
  return `250 2.0.0 Ok: queued as ${queue}`;
}

export class FakeDeliveries {
  /** Every attempt, in the order made. */
  private readonly attempts: DeliveryAttempt[] = [];
  /** Every email, waiting or not. */
  private readonly outbox: OutboxMessage[] = [];

  constructor(alerts: readonly FakeAlert[], mail: FakeMailSetup) {
    const server = mail.port ? `${mail.host}:${mail.port}` : mail.host;
    const refused = `could not connect to ${server}: Connection refused (os error 111)`;
    const busy = "421 4.3.2 Service not available, closing transmission channel";
    const unknown = `550 5.1.1 <${mail.to[0] ?? "me@example.com"}>: Recipient address rejected: User unknown in local recipient table`;
    const announced = alerts.filter((a) => a.notify).sort((a, b) => a.at - b.at || a.id - b.id);
    const plan: { at: Timestamp; attempt: Omit<DeliveryAttempt, "id" | "at"> }[] = [];

    if (announced.length > 0)
      plan.push({
        at: announced[0].at + 30 * MIN,
        attempt: { channel: "desktop", event_id: null, outbox_id: null, outcome: "ok", detail: "test notification shown" },
      });
    announced.forEach((a, i) => {
      plan.push({
        at: a.at + 150,
        attempt: { channel: "desktop", event_id: a.id, outbox_id: null, outcome: "ok", detail: "shown" },
      });
      const id = i + 1;
      // The newest is 0, the one before 1, and so on.
      const age = announced.length - 1 - i;
      const email = (at: Timestamp, outcome: DeliveryAttempt["outcome"], detail: string) =>
        plan.push({ at, attempt: { channel: "email", event_id: a.id, outbox_id: id, outcome, detail } });
      const message: OutboxMessage = {
        id, created_at: a.at, event_id: a.id, subject: subjectOf(a), recipients: [...mail.to],
        attempts: 1, next_attempt_at: a.at + SEC, status: "sent", last_error: null, sent_at: null,
      };
      if (age === 0) {
        message.status = "sending";
      } else if (age === 1) {
        email(a.at + SEC, "retry", refused);
        Object.assign(message, { status: "pending", last_error: refused, next_attempt_at: a.at + SEC + 5 * MIN });
      } else if (age === 2) {
        email(a.at + SEC, "retry", busy);
        email(a.at + SEC + MIN, "retry", refused);
        Object.assign(message, { status: "pending", attempts: 2, last_error: refused, next_attempt_at: a.at + SEC + 11 * MIN });
      } else if (age === 3) {
        email(a.at + SEC, "failed", unknown);
        Object.assign(message, { status: "failed", last_error: unknown });
      } else if (age === 4) {
        email(a.at + SEC, "retry", busy);
        email(a.at + SEC + MIN, "ok", accepted(id));
        Object.assign(message, { attempts: 2, last_error: busy, next_attempt_at: a.at + SEC + MIN, sent_at: a.at + SEC + MIN });
      } else {
        email(a.at + SEC, "ok", accepted(id));
        message.sent_at = a.at + SEC;
      }
      this.outbox.push(message);
    });
    plan
      .sort((x, y) => x.at - y.at)
      .forEach((p, i) => this.attempts.push({ id: i + 1, at: p.at, ...p.attempt }));
  }

  /** The latest `limit` attempts (1 to MAX_DELIVERIES), newest first, and every waiting email. */
  log(limit: number): DeliveryLog {
    const n = Math.min(Math.max(Math.trunc(limit) || 1, 1), MAX_DELIVERIES);
    const attempts = [...this.attempts].sort((a, b) => b.at - a.at || b.id - a.id).slice(0, n);
    const waiting = this.outbox
      .filter((m) => m.status === "pending" || m.status === "sending")
      .sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
    return clone({ attempts, waiting });
  }

  /**
   * Delivers waiting email `id` at `now`. Throws a "bad_request" ApiError, as the monitor
   * does, when no email with that id is waiting (sent, given up, being sent, or unknown).
   */
  sendNow(id: number, now: Timestamp): void {
    const message = this.outbox.find((m) => m.id === id && m.status === "pending");
    if (!message) {
      const error: ApiError = {
        code: "bad_request",
        message: `no email ${id} is waiting: it was sent, given up, or is being sent now`,
      };
      throw error;
    }
    Object.assign(message, { status: "sent", attempts: message.attempts + 1, next_attempt_at: now, sent_at: now });
    const nextId = this.attempts.reduce((max, a) => Math.max(max, a.id), 0) + 1;
    this.attempts.push({
      id: nextId, at: now, channel: "email", event_id: message.event_id, outbox_id: id, outcome: "ok", detail: accepted(id),
    });
  }

  /** The outbox as the status counts it: emails waiting (pending or being sent) and given up. */
  outboxCounts(): { pending: number; failed: number } {
    const count = (...statuses: OutboxMessage["status"][]) => this.outbox.filter((m) => statuses.includes(m.status)).length;
    return { pending: count("pending", "sending"), failed: count("failed") };
  }

  /**
   * A channel's health as its attempts tell it: the last success, the last failure with its
   * words, and how many attempts failed in a row since the last success.
   */
  health(channel: Channel): Pick<ChannelStatus, "last_ok_at" | "last_error_at" | "last_error" | "consecutive_failures"> {
    const newestFirst = this.attempts.filter((a) => a.channel === channel).sort((a, b) => b.at - a.at || b.id - a.id);
    const lastOk = newestFirst.find((a) => a.outcome === "ok");
    const lastError = newestFirst.find((a) => a.outcome !== "ok");
    const streak = newestFirst.findIndex((a) => a.outcome === "ok");
    return {
      last_ok_at: lastOk?.at ?? null,
      last_error_at: lastError?.at ?? null,
      last_error: lastError?.detail ?? null,
      consecutive_failures: streak === -1 ? newestFirst.length : streak,
    };
  }
}
