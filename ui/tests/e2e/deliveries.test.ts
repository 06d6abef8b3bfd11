// End to end: the delivery log and the status bar, in headless Chromium against the fake
// backend under the strict CSP. The fake's delivery log is made up from the recorded alert log
// (src/lib/backend/fakeDeliveries.ts): three emails waiting (one being sent, two after failed
// attempts), one given up, the rest delivered; email is off in the default config, and turning
// it on (the recorded config email_enabled) shows the email channel failing.
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Locator, Page } from "playwright-core";
import { type Harness, SHOTS, startHarness } from "./harness";

const T = 30_000;
const SMALL = { width: 800, height: 600 };

type Attempt = { id: number; at: number; channel: string; event_id: number | null; outcome: string; detail: string };
type Waiting = { id: number; subject: string; recipients: string[]; status: string; last_error: string | null };
type Log = { attempts: Attempt[]; waiting: Waiting[] };
type Entry = { id: number; event: { rule: string; state: string } };
type Fake = {
  getDeliveries(limit: number): Promise<Log>;
  getAlerts(since: number | null, limit: number): Promise<Entry[]>;
  getConfig(): Promise<{ email: { enabled: boolean } }>;
  setConfig(config: unknown): Promise<unknown>;
  sendNow(id: number): Promise<void>;
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  mkdirSync(SHOTS, { recursive: true });
}, T);

afterAll(async () => {
  await h?.close();
});

const open = (view: string, size?: { width: number; height: number }): Promise<Page> =>
  h.open(view, size ? { size } : {});

/** The delivery log as the fake holds it now. */
function fakeLog(page: Page): Promise<Log> {
  return page.evaluate(() => (window as unknown as { lookoutFake: Fake }).lookoutFake.getDeliveries(200));
}

/** Saves the default config with email turned on (the recorded config email_enabled). */
async function turnEmailOn(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const fake = (window as unknown as { lookoutFake: Fake }).lookoutFake;
    const config = await fake.getConfig();
    config.email.enabled = true;
    await fake.setConfig(config);
  });
}

const text = async (l: Locator) => ((await l.textContent()) ?? "").trim();

/** A waiting message's item, by its outbox id. */
const waitingItem = (page: Page, id: number) => page.locator(`[data-testid="waiting-message"][data-outbox-id="${id}"]`);

const STATE_WORDS: Record<string, string> = {
  pending: "Pending", firing: "Firing", reminder: "Reminder", resolved: "Resolved", gave_up: "Gave up",
};

describe("the delivery log", () => {
  test("shows every waiting email and every attempt, newest first, each linked to its alert", async () => {
    const before = h.problems.length;
    const page = await open("deliveries");
    const items = page.getByTestId("waiting-message");
    await items.first().waitFor();
    expect(await page.locator("main h1").textContent()).toBe("Deliveries");
    expect(await page.getByTestId("nav-deliveries").getAttribute("aria-current"), "the nav shows where we are").toBe("page");
    const log = await fakeLog(page);
    expect(await items.count(), "every waiting email").toBe(log.waiting.length);

    // Being sent: said so, and no button.
    const sending = page.locator('[data-testid="waiting-message"][data-status="sending"]');
    expect(await sending.count()).toBe(1);
    expect(await text(sending.getByTestId("being-sent"))).toBe("Being sent");
    expect(await sending.getByTestId("send-now").count()).toBe(0);

    // Waiting after a failed attempt: what, to whom, how often, when next, and why.
    const retrying = log.waiting.find((m) => m.status === "pending" && m.last_error !== null);
    expect(retrying, "an email waits after a failed attempt").toBeDefined();
    const item = waitingItem(page, retrying!.id);
    expect(await text(item.getByTestId("waiting-subject"))).toBe(retrying!.subject);
    expect(await item.textContent()).toContain(`To ${retrying!.recipients.join(" and ")}`);
    expect(await text(item.getByTestId("waiting-attempts"))).toMatch(/^\d+ attempts? so far$/);
    expect(await text(item.getByTestId("waiting-next"))).toMatch(/^next attempt (in \d.*|due now)$/);
    expect(await text(item.getByTestId("waiting-error"))).toBe(`Last error: ${retrying!.last_error}`);
    // Email is off in the default config: said once, and the buttons cannot send.
    expect(await page.getByTestId("email-off").isVisible()).toBe(true);
    expect(await item.getByTestId("send-now").isDisabled()).toBe(true);
    expect(
      await page.getByRole("button", { name: `Send now: ${retrying!.subject}` }).count(),
      "each button names its email",
    ).toBe(1);

    // Attempts: all of them, newest first.
    const rows = page.getByTestId("attempt-row");
    expect(await rows.count()).toBe(log.attempts.length);
    const times = await rows.locator("td:first-child time").evaluateAll((els) => els.map((el) => Date.parse(el.getAttribute("datetime") ?? "")));
    expect(times.every(Number.isFinite)).toBe(true);
    expect(times.every((t, i) => i === 0 || t <= times[i - 1]), "newest first").toBe(true);

    // The email given up: in red words, with the server's answer, linked to its alert.
    const failed = log.attempts.find((a) => a.outcome === "failed")!;
    expect(failed, "an attempt failed for good").toBeDefined();
    const failedRow = page.locator('[data-testid="attempt-row"][data-outcome="failed"]').first();
    expect(await text(failedRow.getByTestId("attempt-outcome"))).toBe("Failed");
    expect(await failedRow.getByTestId("attempt-outcome").getAttribute("class")).toContain("critical");
    expect(await text(failedRow.getByTestId("attempt-detail"))).toBe(failed.detail);
    expect(await text(failedRow.locator("td").nth(1))).toBe("Email");
    const alerts = await page.evaluate(() => (window as unknown as { lookoutFake: Fake }).lookoutFake.getAlerts(null, 1000));
    const entry = alerts.find((a) => a.id === failed.event_id)!;
    const link = failedRow.getByTestId("attempt-alert");
    expect(await link.getAttribute("href"), "the alert's own entry").toBe(`#/alerts/${failed.event_id}`);
    await expect
      .poll(() => text(link), { message: "named by its rule and state once the alert log is read", timeout: 10_000 })
      .toBe(`${entry.event.rule} (${STATE_WORDS[entry.event.state]})`);
    const retryRow = page.locator('[data-testid="attempt-row"][data-outcome="retry"]').first();
    expect(await text(retryRow.getByTestId("attempt-outcome"))).toBe("Will retry");
    expect(await retryRow.getByTestId("attempt-outcome").getAttribute("class")).toContain("warning");
    const okRow = page.locator('[data-testid="attempt-row"][data-outcome="ok"]').first();
    expect(await text(okRow.getByTestId("attempt-outcome"))).toBe("Delivered");
    const testRow = page.locator('[data-testid="attempt-row"]', { hasNot: page.getByTestId("attempt-alert") });
    expect(await testRow.count(), "the test notification, with no alert").toBe(log.attempts.filter((a) => a.event_id === null).length);
    expect(await testRow.first().textContent()).toContain("Test message");

    await page.screenshot({ path: `${SHOTS}/deliveries.png`, fullPage: true });
    await link.click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/alerts/${failed.event_id}`);
    await page.locator(`[data-testid="alert-row"][data-alert-id="${failed.event_id}"]`).waitFor({ timeout: 10_000 });
    expect(h.problems.slice(before), "console errors, page errors").toEqual([]);
    await page.close();
  }, T);

  test("the attempts filter by channel and outcome, with a count, and clear", async () => {
    const page = await open("deliveries");
    const rows = page.getByTestId("attempt-row");
    await rows.first().waitFor();
    const log = await fakeLog(page);
    const channel = page.getByLabel("Channel", { exact: true });
    const outcome = page.getByLabel("Outcome", { exact: true });
    expect(await channel.evaluate((el) => el.tagName), "the selects have visible labels").toBe("SELECT");
    expect(await outcome.locator("option").allTextContents()).toEqual(["All outcomes", "Delivered", "Will retry", "Failed"]);
    expect(await page.getByTestId("attempts-count").count(), "nothing hidden: no count").toBe(0);

    await channel.selectOption("email");
    const email = log.attempts.filter((a) => a.channel === "email");
    await expect.poll(() => rows.count()).toBe(email.length);
    expect(new Set(await rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-channel"))))).toEqual(new Set(["email"]));
    expect(await text(page.getByTestId("attempts-count"))).toBe(`${email.length} of ${log.attempts.length} attempts`);

    await outcome.selectOption("retry");
    const retries = email.filter((a) => a.outcome === "retry");
    expect(retries.length).toBeGreaterThan(0);
    await expect.poll(() => rows.count()).toBe(retries.length);
    expect(await rows.getByTestId("attempt-detail").allTextContents()).toEqual(retries.map((a) => a.detail));

    await channel.selectOption("desktop");
    await outcome.selectOption("failed");
    const none = page.getByTestId("attempts-none");
    await none.waitFor();
    expect(await none.textContent()).toContain("No attempts match these filters.");
    expect(await page.getByTestId("attempts-empty").count(), "not the message of an empty log").toBe(0);
    await page.getByTestId("attempts-none-reset").click();
    await expect.poll(() => rows.count()).toBe(log.attempts.length);
    expect(await channel.inputValue()).toBe("all");
    expect(await outcome.inputValue()).toBe("all");
    await page.close();
  }, T);

  test("send now: a refusal shows next to its message; then it is sent and moves to the attempts", async () => {
    const before = h.problems.length;
    const page = await open("deliveries");
    await page.getByTestId("waiting-message").first().waitFor();
    await turnEmailOn(page);
    const log = await fakeLog(page);
    const target = log.waiting.find((m) => m.status === "pending")!;
    const item = waitingItem(page, target.id);
    const button = item.getByTestId("send-now");
    await expect.poll(() => button.isEnabled(), { message: "email on: the button sends", timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId("email-off").count()).toBe(0);

    // Lookout refuses once (as when the sender took the email first).
    await page.evaluate(() => {
      const fake = (window as unknown as { lookoutFake: Fake }).lookoutFake;
      const real = fake.sendNow.bind(fake);
      fake.sendNow = async () => {
        fake.sendNow = real;
        throw { code: "bad_request", message: "no email 0 is waiting: it was sent, given up, or is being sent now" };
      };
    });
    await button.click();
    const refused = item.getByTestId("send-now-error");
    await refused.waitFor();
    expect(await refused.textContent()).toContain("Could not send it now");
    expect(await refused.textContent(), "Lookout's own words").toContain("no email 0 is waiting");
    expect(await page.getByTestId("send-now-error").count(), "only next to that message").toBe(1);
    expect(await item.count(), "still waiting").toBe(1);

    // From the keyboard, for real.
    await button.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => item.count(), { message: "no longer waiting", timeout: 5000 }).toBe(0);
    expect(await page.getByTestId("waiting-message").count()).toBe(log.waiting.length - 1);
    const newest = page.getByTestId("attempt-row").first();
    await expect.poll(() => newest.getAttribute("data-outcome")).toBe("ok");
    expect(await newest.getAttribute("data-channel")).toBe("email");
    expect(await text(newest.getByTestId("attempt-outcome"))).toBe("Delivered");
    expect(await text(newest.getByTestId("attempt-detail"))).toMatch(/^250 /);
    expect(await page.evaluate(() => document.activeElement?.id), "the keyboard stays in the list").toBe("waiting-heading");
    await expect
      .poll(() => text(page.getByTestId("statusbar-outbox")), { message: "the status bar follows", timeout: 5000 })
      .toBe(`Outbox: ${log.waiting.length - 1} waiting, 1 given up`);
    await page.screenshot({ path: `${SHOTS}/deliveries-sent.png`, fullPage: true });
    expect(h.problems.slice(before), "console errors, page errors").toEqual([]);
    await page.close();
  }, T);
});

describe("the status bar", () => {
  test("at 800×600 on every view: channels, the outbox and Lookout's own use, fitting, and quiet", async () => {
    const before = h.problems.length;
    const page = await open("overview", SMALL);
    const bar = page.getByTestId("statusbar");
    await bar.waitFor();
    const log = await fakeLog(page);
    const outbox = page.getByTestId("statusbar-outbox");
    expect(await text(outbox)).toBe(`Outbox: ${log.waiting.length} waiting, 1 given up`);
    expect(await text(page.getByTestId("statusbar-self"))).toMatch(/^Lookout: \d+(\.\d)? % CPU · \d+(\.\d)? (B|KiB|MiB|GiB)$/);
    expect(await text(page.getByTestId("statusbar-channel-desktop"))).toBe("Desktop: ok");
    expect(await text(page.getByTestId("statusbar-channel-email"))).toBe("Email: off");

    // At the bottom of the window, one slim line, nothing sticking out.
    const box = (await bar.boundingBox())!;
    expect(Math.round(box.y + box.height), "at the bottom").toBe(SMALL.height);
    expect(box.height, "slim").toBeLessThan(40);
    expect(await bar.evaluate((el) => el.scrollWidth - el.clientWidth), "nothing sticks out").toBeLessThanOrEqual(0);
    // Landmark, not a live region: only the sentence about channel health is live, and it is empty.
    expect(await bar.evaluate((el) => el.tagName)).toBe("FOOTER");
    expect(await bar.getAttribute("aria-label")).toBe("Status bar");
    expect(await page.locator('[data-testid="statusbar"] [aria-live], [data-testid="statusbar"] [role="status"]').count()).toBe(1);
    expect(await text(page.getByTestId("statusbar-announce"))).toBe("");
    expect(await page.getByTestId("statusbar-self").getAttribute("title")).toContain("share of one core");

    // On every view.
    const views = await page.locator("nav a").count();
    expect(views).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < views; i += 1) {
      await page.locator("nav a").nth(i).click();
      await page.locator("main h1").waitFor();
      expect(await bar.isVisible(), `on view ${i}`).toBe(true);
    }

    // Email on: the log says it fails. Named in words, the error in its tooltip and name, said once.
    await page.getByTestId("nav-overview").click();
    await turnEmailOn(page);
    const email = page.getByTestId("statusbar-channel-email");
    await expect.poll(() => email.getAttribute("data-health"), { timeout: 10_000 }).toBe("failing");
    expect(await text(email.locator(".text"))).toMatch(/^Email: failing \(\d+×\)$/);
    const failing = email.getByRole("link");
    expect(await failing.getAttribute("title")).toMatch(/^Last error .+ ago: could not connect to .*Connection refused/);
    expect(await failing.textContent(), "the error is in its accessible text").toContain("Last error");
    await expect.poll(() => text(page.getByTestId("statusbar-announce"))).toBe("Delivery is failing: Email");
    expect(await bar.evaluate((el) => el.scrollWidth - el.clientWidth), "still fits").toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/statusbar-failing.png` });

    // One email delivered: the channel works again, and that is said too.
    await page.evaluate(async () => {
      const fake = (window as unknown as { lookoutFake: Fake }).lookoutFake;
      const log = await fake.getDeliveries(200);
      await fake.sendNow(log.waiting.find((m) => m.status === "pending")!.id);
    });
    await expect.poll(() => email.getAttribute("data-health"), { timeout: 10_000 }).toBe("ok");
    await expect.poll(() => text(page.getByTestId("statusbar-announce"))).toBe("Delivery works again on every channel.");
    expect(await text(outbox)).toBe(`Outbox: ${log.waiting.length - 1} waiting, 1 given up`);

    // The outbox opens the delivery log.
    await outbox.click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#/deliveries");
    await expect.poll(() => page.locator("main h1").textContent()).toBe("Deliveries");
    expect(h.problems.slice(before), "console errors, page errors").toEqual([]);
    await page.close();
  }, T);
});
