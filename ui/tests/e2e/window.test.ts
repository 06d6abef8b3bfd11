// End to end: the built window in headless Chromium against the fake backend, under the
// strict CSP: live values, rule editing with field errors, saving, the alert log, tests.
// The fake answers from recordings of the real monitor: every config saved here is one of the
// drafts of crates/lookout-monitor/tests/ui_fixtures.rs (named in comments).
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { startHarness, type Harness } from "./harness";

const SHOTS = process.env.UI_SHOTS_DIR ?? "/tmp/ui-shots";
const T = 30_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, T);

afterAll(async () => {
  await h?.close();
});

async function open(view: string, opts: { dark?: boolean; tall?: boolean } = {}): Promise<Page> {
  const page = await h.newPage(opts);
  await page.goto(`${h.url}#/${view}`);
  return page;
}

describe("the Lookout window in a browser", () => {
  test("the overview shows a live CPU value that changes", async () => {
    const page = await open("overview");
    const cpu = page.getByTestId("live-cpu");
    await cpu.waitFor();
    const first = (await cpu.textContent()) ?? "";
    expect(first, "CPU is shown as a percentage").toMatch(/^\d+(\.\d)? %$/);
    const charts = await page.evaluate(() => {
      const canvases = [...document.querySelectorAll(".spark canvas")];
      canvases.forEach((c) => c.setAttribute("data-first", "1"));
      return canvases.length;
    });
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="live-cpu"]')?.textContent !== before,
      first,
      { timeout: 15_000 },
    );
    const later = (await cpu.textContent()) ?? "";
    expect(later, "the value moved with the tick stream").not.toBe(first);
    expect(await page.locator('.spark canvas[data-first="1"]').count(), "ticks update charts, never rebuild them").toBe(charts);
    expect(await page.getByTestId("rule-state-row").count(), "every rule's state is listed").toBe(4);
    expect(await page.locator(".spark canvas").count(), "sparklines are drawn").toBeGreaterThan(2);
    await expect.poll(() => page.getByTestId("overall").textContent(), { timeout: 10_000 }).toBeTruthy();
    expect(await page.getByTestId("log-path").textContent(), "the status names the log file").toContain(
      "lookout.log",
    );
    await page.close();
  }, T);

  test("an invalid window shows its error next to the field and keeps the typed text", async () => {
    const page = await open("rules");
    await page.getByTestId("rule-row").nth(1).click();
    const win = page.getByTestId("rule-window");
    await win.fill("five minutes"); // rule1_window_not_a_duration
    await page.getByTestId("save").click();
    const err = page.getByTestId("error-rules-1-window");
    await err.waitFor();
    expect(await err.textContent(), "the message says what is accepted").toContain("is not a duration");
    expect(await err.locator("[data-code]").getAttribute("data-code"), "shown by its code").toBe("duration.invalid");
    const sameField = page.locator(".field", { has: win }).getByTestId("error-rules-1-window");
    expect(await sameField.count(), "the error sits in the window field's own box").toBe(1);
    expect(await win.inputValue(), "the typed value is kept").toBe("five minutes");
    expect(await win.getAttribute("aria-invalid"), "the field is marked invalid").toBe("true");
    expect(await page.getByTestId("save-error").isVisible(), "the save bar says it was not saved").toBe(true);
    expect(await page.getByTestId("rule-row-errors").count(), "the rule row shows its problem").toBe(1);
    await page.screenshot({ path: `${SHOTS}/rules-error.png` });
    await page.close();
  }, T);

  test("a valid save shows the confirmation and the rule list follows it", async () => {
    const page = await open("rules");
    await page.getByTestId("rule-row").first().click();
    await page.getByTestId("rule-name").fill("CPU busy for ten minutes");
    await page.getByTestId("rule-window").fill("10m"); // rule0_renamed
    await page.getByTestId("save").click();
    await page.getByTestId("save-confirmation").waitFor();
    expect(await page.getByTestId("rule-row").first().textContent()).toContain("CPU busy for ten minutes");
    expect(await page.locator('[data-testid^="error-"]').count(), "no field errors remain").toBe(0);
    await page.getByTestId("nav-overview").click();
    await expect
      .poll(() => page.getByTestId("rule-states").textContent(), { timeout: 10_000 })
      .toContain("CPU busy for ten minutes");
    await page.close();
  }, T);

  test("the alert log lists entries, newest first, filtered by age", async () => {
    const page = await open("alerts");
    await page.getByTestId("alert-row").first().waitFor();
    const day = await page.getByTestId("alert-row").count();
    expect(day, "the last 24 hours hold alerts").toBeGreaterThan(0);
    await page.getByTestId("range-7d").check();
    await expect.poll(() => page.getByTestId("alert-row").count(), { timeout: 10_000 }).toBeGreaterThan(day);
    const times = await page.$$eval('[data-testid="alert-row"] td:first-child time', (els) =>
      els.map((el) => Date.parse(el.getAttribute("datetime") ?? "")),
    );
    expect(times.every(Number.isFinite), "each row carries its instant").toBe(true);
    expect(times.every((t, i) => i === 0 || t <= times[i - 1]), "newest first").toBe(true);
    await page.close();
  }, T);

  test("notifications: test buttons report outcomes, the password is write-only", async () => {
    const page = await open("notifications");
    await page.getByTestId("test-notification").click();
    expect(await page.getByTestId("test-notification-outcome").textContent()).toContain("Sent a test notification");
    await page.getByTestId("test-email").click();
    const refused = page.getByTestId("test-email-outcome");
    await refused.waitFor();
    expect(await refused.textContent(), "email off is reported, not hidden").toContain("not enabled");
    await page.getByTestId("email-enabled").check(); // email_enabled
    await page.getByTestId("smtp-password").fill("s3cret");
    await page.getByTestId("save").click();
    await page.getByTestId("save-confirmation").waitFor();
    await page.getByTestId("password-stored").waitFor();
    expect(await page.getByTestId("smtp-password").inputValue(), "the password field is emptied").toBe("");
    expect(await page.content(), "the password appears nowhere in the page").not.toContain("s3cret");
    await page.getByTestId("test-email").click();
    await expect.poll(() => page.getByTestId("test-email-outcome").textContent()).toContain("Sent a test email");
    await page.getByTestId("autostart").check();
    await expect.poll(() => page.getByTestId("autostart").isChecked()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/notifications-tested.png`, fullPage: true });
    await page.close();
  }, T);

  test("quiet hours: an empty span is refused next to its field, a valid one is saved", async () => {
    const page = await open("notifications");
    await page.getByTestId("quiet-enabled").check();
    await page.getByTestId("quiet-start").fill("23:00");
    await page.getByTestId("quiet-end").fill("23:00"); // quiet_hours_empty_span
    await page.getByTestId("save").click();
    const err = page.getByTestId("error-quiet_hours-end");
    await err.waitFor();
    expect(await err.textContent(), "the message says what is accepted").toContain("the end must differ");
    expect(await err.locator("[data-code]").getAttribute("data-code")).toBe("quiet_hours.span.empty");
    await page.getByTestId("quiet-end").fill("06:30"); // quiet_hours_night
    await page.getByTestId("save").click();
    await page.getByTestId("save-confirmation").waitFor();
    expect(await err.count(), "the error is gone once the span is valid").toBe(0);
    expect(await page.getByTestId("quiet-end").inputValue(), "the time input holds HH:MM").toBe("06:30");
    await page.close();
  }, T);

  test("alerts can be paused and resumed from the status strip", async () => {
    const page = await open("overview");
    await page.getByTestId("pause-1h").click();
    const until = page.getByTestId("paused-until");
    await until.waitFor();
    expect(await until.textContent()).toContain("Alerts paused until");
    await page.screenshot({ path: `${SHOTS}/overview-paused.png` });
    await page.getByTestId("resume").click();
    await page.getByTestId("pause-1h").waitFor();
    expect(await until.count(), "resumed: no pause shown").toBe(0);
    await page.close();
  }, T);

  test("the window is keyboard reachable with a visible focus", async () => {
    const page = await open("overview");
    await page.getByTestId("live-cpu").waitFor();
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { id: el?.dataset.testid, ring: el ? getComputedStyle(el).boxShadow : "none" };
    });
    expect(focused.id, "the first stop is the first view in the navigation").toBe("nav-overview");
    expect(focused.ring, "focus is drawn").not.toBe("none");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/alerts$/);
    await page.getByTestId("alert-log").waitFor();
    await page.close();
  }, T);

  test("screenshots of every view, light and dark", async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const dark of [false, true]) {
      for (const view of ["overview", "alerts", "rules", "notifications"]) {
        const page = await open(view, { dark, tall: true });
        await page.locator("main h1").waitFor();
        if (view === "overview") await page.getByTestId("live-cpu").waitFor();
        if (view === "alerts") await page.getByTestId("alert-row").first().waitFor();
        const file = `${SHOTS}/${view}${dark ? "-dark" : ""}.png`;
        await page.screenshot({ path: file, fullPage: true });
        await page.close();
      }
    }
  }, 60_000);

  test("the window is served under the strict CSP and nothing broke it or logged an error", async () => {
    const res = await fetch(h.url);
    expect(res.headers.get("content-security-policy"), "preview sends the app's CSP").toContain("script-src 'self'");
    const html = await res.text();
    expect(html, "no inline script in index.html").not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(h.problems, "console errors, page errors and CSP violations").toEqual([]);
  });
});
