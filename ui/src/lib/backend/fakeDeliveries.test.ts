// The fake's made-up delivery log: consistent with its alert log, deterministic, with email
// waiting and failing; "send now" delivers a waiting email and refuses anything else.
import { describe, expect, test } from "vitest";
import { toApiError } from "../fieldErrors";
import { FakeBackend, recorded } from "./fake";
import { FakeDeliveries, subjectOf, type FakeAlert } from "./fakeDeliveries";

const MAIL = { host: "smtp.example.com", port: 587, to: ["me@example.com"] };
const H = 3_600_000;

/** An alert log of `n` announced entries an hour apart, the newest at 100 h. */
function alerts(n: number): FakeAlert[] {
  return Array.from({ length: n }, (_, i) => ({
    id: 10 + i, at: (100 - (n - 1 - i)) * H, rule: `Rule ${i}`, state: i % 2 ? "resolved" : "firing", severity: "warning", notify: true,
  }));
}

describe("the made-up delivery log", () => {
  test("every announced alert was shown on the desktop and sent by email; quiet ones were not", () => {
    const log = new FakeDeliveries([...alerts(7), { ...alerts(1)[0], id: 99, at: 50 * H, notify: false }], MAIL).log(1000);
    const events = (channel: string) => new Set(log.attempts.filter((a) => a.channel === channel && a.event_id !== null).map((a) => a.event_id));
    const ids = alerts(7).map((a) => a.id);
    expect([...events("desktop")].sort()).toEqual(ids);
    const emailed = new Set([...events("email"), ...log.waiting.map((m) => m.event_id)]);
    expect([...emailed].sort(), "each alert's email was tried or waits").toEqual(ids);
    expect(emailed.has(99) || events("desktop").has(99), "the unannounced entry went nowhere").toBe(false);
    expect(log.attempts.filter((a) => a.event_id === null).map((a) => [a.channel, a.outcome]), "one test notification").toEqual([["desktop", "ok"]]);
  });

  test("attempts come newest first, after their alert, and `limit` keeps the newest", () => {
    const all = new FakeDeliveries(alerts(7), MAIL).log(1000).attempts;
    expect(all.every((a, i) => i === 0 || a.at <= all[i - 1].at)).toBe(true);
    const at = new Map(alerts(7).map((a) => [a.id, a.at]));
    expect(all.every((a) => a.event_id === null || a.at > at.get(a.event_id)!)).toBe(true);
    expect(new Set(all.map((a) => a.id)).size, "ids are unique").toBe(all.length);
    const d = new FakeDeliveries(alerts(7), MAIL);
    expect(d.log(3).attempts).toEqual(all.slice(0, 3));
    expect(d.log(0).attempts.length, "at least one, as the monitor clamps").toBe(1);
  });

  test("the three newest emails wait: one being sent, two due again after failures; one older was given up", () => {
    const d = new FakeDeliveries(alerts(7), MAIL);
    const { attempts, waiting } = d.log(1000);
    expect(waiting.every((m, i) => i === 0 || m.next_attempt_at >= waiting[i - 1].next_attempt_at), "next attempt first").toBe(true);
    const byEvent = [...waiting].sort((a, b) => b.event_id! - a.event_id!);
    expect(byEvent.map((m) => [m.event_id, m.status, m.attempts])).toEqual([
      [16, "sending", 1],
      [15, "pending", 1],
      [14, "pending", 2],
    ]);
    const [, once, twice] = byEvent;
    expect(once.last_error).toContain("Connection refused");
    expect(once.next_attempt_at, "due again later").toBeGreaterThan(alerts(7)[5].at);
    expect(twice.recipients).toEqual(["me@example.com"]);
    expect(twice.subject).toBe("[Lookout] WARNING: Rule 4 is firing on workstation");
    const outcomes = (eventId: number) => attempts.filter((a) => a.channel === "email" && a.event_id === eventId).map((a) => a.outcome).reverse();
    expect(outcomes(14), "both failed attempts are in the log").toEqual(["retry", "retry"]);
    expect(outcomes(13)).toEqual(["failed"]);
    expect(outcomes(12), "delivered after a retry").toEqual(["retry", "ok"]);
    expect(outcomes(10)).toEqual(["ok"]);
    expect(d.outboxCounts()).toEqual({ pending: 3, failed: 1 });
  });

  test("the same alert log makes the same delivery log", () => {
    expect(new FakeDeliveries(alerts(7), MAIL).log(1000)).toEqual(new FakeDeliveries(alerts(7), MAIL).log(1000));
  });

  test("subjects follow Lookout's default email subjects", () => {
    const a = alerts(1)[0];
    expect(subjectOf({ ...a, severity: "critical" })).toBe("[Lookout] CRITICAL: Rule 0 is firing on workstation");
    expect(subjectOf({ ...a, state: "resolved" })).toBe("[Lookout] RESOLVED: Rule 0 on workstation");
    expect(subjectOf({ ...a, state: "reminder" })).toBe("[Lookout] WARNING: Rule 0 is still firing on workstation");
  });
});

describe("send now", () => {
  test("delivers a waiting email: it leaves the waiting list and its attempt is the newest", () => {
    const d = new FakeDeliveries(alerts(7), MAIL);
    const waiting = d.log(1000).waiting.find((m) => m.status === "pending")!;
    d.sendNow(waiting.id, 101 * H);
    const { attempts, waiting: after } = d.log(1000);
    expect(after.map((m) => m.id)).not.toContain(waiting.id);
    expect(attempts[0]).toMatchObject({ at: 101 * H, channel: "email", outbox_id: waiting.id, event_id: waiting.event_id, outcome: "ok" });
    expect(attempts[0].detail).toMatch(/^250 /);
    expect(d.outboxCounts()).toEqual({ pending: 2, failed: 1 });
  });

  test("refuses an email being sent, one already sent or given up, and an unknown id", () => {
    const d = new FakeDeliveries(alerts(7), MAIL);
    const sending = d.log(1000).waiting.find((m) => m.status === "sending")!;
    const failed = d.log(1000).attempts.find((a) => a.outcome === "failed")!;
    const sent = d.log(1000).attempts.find((a) => a.channel === "email" && a.outcome === "ok")!;
    for (const id of [sending.id, failed.outbox_id!, sent.outbox_id!, 999]) {
      let error: unknown = null;
      try {
        d.sendNow(id, 101 * H);
      } catch (e) {
        error = e;
      }
      expect(toApiError(error), `email ${id}`).toEqual({
        code: "bad_request", message: `no email ${id} is waiting: it was sent, given up, or is being sent now`,
      });
    }
    expect(d.outboxCounts(), "nothing changed").toEqual({ pending: 3, failed: 1 });
  });
});

describe("channel health from the attempts", () => {
  test("email fails in a row since its last success; desktop works", () => {
    const d = new FakeDeliveries(alerts(7), MAIL);
    const email = d.health("email");
    expect(email.consecutive_failures, "two retries, the second email's retry and the one given up").toBe(4);
    expect(email.last_error).toContain("Connection refused");
    expect(email.last_error_at).toBeGreaterThan(email.last_ok_at!);
    expect(d.health("desktop")).toMatchObject({ consecutive_failures: 0, last_error: null, last_error_at: null });
    for (const m of d.log(1000).waiting.filter((w) => w.status === "pending")) d.sendNow(m.id, 101 * H);
    expect(d.health("email"), "a success ends the run").toMatchObject({ consecutive_failures: 0, last_ok_at: 101 * H });
  });
});

describe("the fake backend's deliveries", () => {
  test("follow its alert log's ids and times, and its status counts the outbox", async () => {
    const b = new FakeBackend({ now: () => 1_700_000_900_000, timer: false });
    const log = await b.getDeliveries(500);
    const alerts = new Map((await b.getAlerts(null, 1000)).map((a) => [a.id, a.event.at]));
    const linked = [...log.attempts, ...log.waiting].filter((x) => x.event_id !== null);
    expect(linked.length).toBeGreaterThan(alerts.size);
    for (const x of linked) expect(alerts.has(x.event_id!), `alert ${x.event_id}`).toBe(true);
    for (const a of log.attempts) if (a.event_id !== null) expect(a.at).toBeGreaterThan(alerts.get(a.event_id)!);
    const status = await b.getStatus();
    expect([status.outbox_pending, status.outbox_failed]).toEqual([log.waiting.length, 1]);
    expect(status.channels.find((c) => c.channel === "email"), "email is off: its recorded state stays").toMatchObject({ enabled: false, consecutive_failures: 0 });
  });

  test("send now is refused while email is off, and delivers once it is on", async () => {
    const b = new FakeBackend({ now: () => 1_700_000_900_000, timer: false });
    const pending = (await b.getDeliveries(500)).waiting.find((m) => m.status === "pending")!;
    const off = toApiError(await b.sendNow(pending.id).catch((e: unknown) => e));
    expect(off.code).toBe("bad_request");
    expect(off.message).toContain("email is turned off");
    await b.setConfig(recorded("email_enabled").config);
    expect((await b.getStatus()).channels.find((c) => c.channel === "email")?.consecutive_failures, "failing, as the log says").toBeGreaterThan(0);
    await b.sendNow(pending.id);
    const after = await b.getDeliveries(500);
    expect(after.waiting.map((m) => m.id)).not.toContain(pending.id);
    expect(after.attempts[0]).toMatchObject({ outbox_id: pending.id, outcome: "ok", at: 1_700_000_900_000 });
    expect((await b.getStatus()).outbox_pending).toBe(after.waiting.length);
    const unknown = toApiError(await b.sendNow(424242).catch((e: unknown) => e));
    expect(unknown.code).toBe("bad_request");
  });
});
