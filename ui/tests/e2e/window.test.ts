// End to end: the built window in headless Chromium against the fake backend, under the
// strict CSP: live values, rule editing with field errors, saving, the alert log, tests.
// The fake answers from recordings of the real monitor: every config saved here is one of the
// drafts of crates/lookout-monitor/tests/ui_fixtures.rs (named in comments).
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Locator, Page } from "playwright-core";
import { DISK_RULE_ACTIONS, fileWithActions, startHarness, type Harness } from "./harness";

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

  test("the overview shades when rules were firing, live and over 24 h, and charts each disk and sensor", async () => {
    // The recorded alert log: "CPU saturated" fired about 3 min before the fake started and
    // resolved about 1 min before; "Root disk almost full" fired 37 s before and still fires;
    // "Memory almost full" fired and resolved about 48 h before.
    const page = await open("overview");
    await page.getByTestId("live-cpu").waitFor();
    const card = (valueTestId: string) => page.locator("section.metric", { has: page.getByTestId(valueTestId) });
    const periods = async (chart: Locator) => Number((await chart.getAttribute("data-firing-periods")) ?? "NaN");
    const cpu = card("live-cpu");
    const rootDisk = card("live-disk-value-/");

    // Live: the sparklines of the last 10 minutes.
    await expect.poll(() => periods(cpu.getByTestId("live-chart")), { timeout: 10_000, message: "CPU saturated fired in the last 10 min" }).toBeGreaterThan(0);
    expect(await cpu.getByTestId("firing-periods").textContent(), "listed for screen readers").toContain("CPU saturated (critical)");
    await expect.poll(() => periods(rootDisk.getByTestId("live-chart")), { message: "the root disk rule still fires" }).toBeGreaterThan(0);
    expect(await rootDisk.getByTestId("firing-periods").textContent()).toContain("still firing");
    expect(await periods(card("live-load").getByTestId("live-chart")), "no rule watches the load").toBe(0);
    expect(await card("live-mem").getByTestId("firing-periods").count(), "memory fired two days ago, not in the last 10 min").toBe(0);

    // A chart per disk and per temperature sensor, each in its own section.
    const disks = page.getByTestId("disks-section").locator("section.metric");
    expect(await disks.count(), "/ and /home").toBe(2);
    expect(await page.getByTestId("disks-section").locator(".spark canvas").count(), "a sparkline per disk").toBe(2);
    expect(await page.getByTestId("live-disk-/").getByRole("meter").count(), "the disk's meter bar is kept").toBe(1);
    const temps = page.getByTestId("temps-section").locator("section.metric");
    expect(await temps.count(), "the recorded sensor").toBeGreaterThanOrEqual(1);
    expect(await temps.first().locator(".spark canvas").count(), "a sparkline per sensor").toBe(1);
    expect(await temps.first().getByTestId(/^live-temp-/).textContent()).toMatch(/°C$/);

    // 24 h of recorded history: the same periods on the history charts, with a legend.
    await page.getByTestId("chart-range-24h").check();
    const cpuHistory = cpu.getByTestId("history-chart");
    await expect.poll(() => cpuHistory.getAttribute("data-state"), { timeout: 10_000 }).toBe("ready");
    await expect.poll(() => periods(cpuHistory), { message: "CPU saturated fired in the last 24 h" }).toBeGreaterThan(0);
    expect(await cpuHistory.locator("canvas").count(), "drawn").toBeGreaterThan(0);
    expect(await cpuHistory.getByTestId("history-lines").textContent()).toContain("Shaded: when a rule was firing");
    expect(await cpuHistory.getByTestId("firing-periods").textContent()).toContain("CPU saturated (critical)");
    await expect.poll(() => periods(rootDisk.getByTestId("history-chart"))).toBeGreaterThan(0);
    expect(await page.getByTestId("disks-section").getByTestId("history-chart").count(), "a history chart per disk").toBe(2);
    const tempHistory = temps.first().getByTestId("history-chart");
    await expect.poll(() => tempHistory.getAttribute("data-state"), { timeout: 10_000 }).toBe("ready");
    const memHistory = card("live-mem").getByTestId("history-chart");
    await expect.poll(() => memHistory.getAttribute("data-state"), { timeout: 10_000 }).toBe("ready");
    expect(await periods(memHistory), "memory fired before these 24 h").toBe(0);
    await page.screenshot({ path: `${SHOTS}/overview-firing-24h.png`, fullPage: true });

    // 7 days reach back to memory's period.
    await page.getByTestId("chart-range-7d").check();
    await expect.poll(() => periods(card("live-mem").getByTestId("history-chart")), { timeout: 10_000 }).toBeGreaterThan(0);
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

  test("the rule preview replays the draft over 24 h, 7 days or 30 days, as picked", async () => {
    // The fake replays "CPU saturated" (avg over 5m > 90, clears at 80) over its synthetic
    // history: readings everywhere but one gap, so a chart in every range; 7 days come from
    // 1-minute summaries, 30 days from 15-minute ones (the default config keeps 48 h of raw
    // readings). Whether the bursts of a range reach 90 % depends on the clock, so the shading
    // is checked against what the sentence says.
    const page = await open("rules");
    await page.getByTestId("rule-row").nth(1).click();
    expect(await page.getByTestId("rule-name").inputValue()).toBe("CPU saturated");
    const preview = page.getByTestId("rule-preview");
    const sentence = preview.getByTestId("rule-preview-sentence");
    const chart = preview.getByTestId("rule-preview-chart");
    const heading = preview.locator("#rule-preview-heading");
    const periods = async () => Number((await chart.getAttribute("data-firing-periods")) ?? "NaN");
    const settled = async (range: string) => {
      await expect.poll(() => chart.getAttribute("data-range"), { timeout: 10_000, message: `the chart shows ${range}` }).toBe(range);
      await expect.poll(() => preview.getByTestId("rule-preview-updating").count(), { message: "no replay still to come" }).toBe(0);
      const said = (await sentence.textContent()) ?? "";
      expect(await preview.getByTestId("rule-preview-no-history").count(), `${range}: the synthetic history has readings`).toBe(0);
      expect(await chart.locator("canvas").count(), `${range}: drawn`).toBeGreaterThan(0);
      const shaded = await periods();
      const legend = (await chart.getByTestId("rule-preview-legend").textContent()) ?? "";
      if (said.startsWith("Would not have fired")) {
        expect(shaded, `${range}: nothing shaded for "${said}"`).toBe(0);
        expect(legend).not.toContain("Shaded");
      } else {
        expect(said, `${range}: it fired or was firing`).toMatch(/^Would (have fired|already have been firing)/);
        expect(shaded, `${range}: its firing periods are shaded for "${said}"`).toBeGreaterThan(0);
        expect(legend).toContain("Shaded: when the rule would have been firing");
      }
      return said;
    };

    // By default: the last 24 h.
    await expect.poll(() => preview.getAttribute("data-state"), { timeout: 10_000 }).toBe("ready");
    expect(await page.getByTestId("preview-range-24h").isChecked(), "24 h is picked at first").toBe(true);
    expect(await heading.textContent()).toBe("Preview: last 24 h");
    expect(await settled("24h")).toContain("in the last 24 h");
    expect(await preview.getByRole("radiogroup", { name: "Preview range" }).count(), "a labelled group").toBe(1);

    // A week: replayed at once, said and drawn over 7 days, approximate from 1-minute summaries.
    await page.getByTestId("preview-range-7d").check();
    await expect.poll(() => heading.textContent()).toBe("Preview: last 7 days");
    await expect.poll(() => sentence.textContent(), { timeout: 10_000 }).toContain("in the last 7 days");
    await settled("7d");
    expect(await preview.getByTestId("rule-preview-note").allTextContents()).toContainEqual(
      expect.stringContaining("only 1-minute summaries"),
    );
    expect(await chart.locator("[role=img]").getAttribute("aria-label"), "the chart is labelled with its range").toBe("CPU, last 7 d");
    await page.screenshot({ path: `${SHOTS}/rule-preview-7d.png`, fullPage: true });

    // The keyboard: the arrow key moves the choice on to 30 days, with a visible focus.
    await page.getByTestId("preview-range-7d").focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.getByTestId("preview-range-30d").isChecked(), "the arrow key picks the next range").toBe(true);
    const ring = await page.evaluate(() => {
      const label = document.activeElement?.closest("label");
      return label ? getComputedStyle(label).boxShadow : "none";
    });
    expect(ring, "focus is drawn").not.toBe("none");
    await expect.poll(() => sentence.textContent(), { timeout: 10_000 }).toContain("in the last 30 days");
    await settled("30d");
    expect(await preview.getByTestId("rule-preview-note").allTextContents()).toContainEqual(
      expect.stringContaining("only 15-minute summaries"),
    );
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

  test("the alert log filters by severity, state and rule, kept across refreshes until cleared", async () => {
    const page = await open("alerts");
    await page.getByTestId("range-7d").check();
    type Entry = { event: { rule: string; state: string; severity: string } };
    type Fake = { getAlerts(since: number | null, limit: number): Promise<Entry[]>; reads?: number };
    // What the view loads (from the fake itself); from now on, every read of the log is counted.
    const log = (
      await page.evaluate(async () => {
        const fake = (window as unknown as { lookoutFake: Fake }).lookoutFake;
        const read = fake.getAlerts.bind(fake);
        fake.reads = 0;
        const entries = await read(Date.now() - 7 * 86_400_000, 500);
        fake.getAlerts = (since, limit) => {
          fake.reads! += 1;
          return read(since, limit);
        };
        return entries;
      })
    ).map((a) => a.event);
    const rows = page.getByTestId("alert-row");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(log.length);
    const critical = log.filter((e) => e.severity === "critical");
    expect(critical.length, "the log holds critical entries and others").toBeGreaterThan(0);
    expect(critical.length).toBeLessThan(log.length);
    expect(await page.getByTestId("filter-count").count(), "nothing hidden: no count").toBe(0);
    expect(await page.getByTestId("filter-reset").count(), "nothing to clear").toBe(0);
    expect(await page.getByTestId("filter-rule").locator("option").allTextContents(), "the rules of the log, once each, sorted").toEqual([
      "All rules", ...[...new Set(log.map((e) => e.rule))].sort(),
    ]);
    expect(await page.getByTestId("filter-state").locator("option").allTextContents(), "states in the log's words").toEqual([
      "All states", "Pending", "Firing", "Reminder", "Resolved", "Gave up",
    ]);

    await page.getByTestId("filter-severity").selectOption("critical");
    await expect.poll(() => rows.count()).toBe(critical.length);
    expect(await rows.locator(".sev").allTextContents(), "only critical entries").toEqual(critical.map(() => "critical"));
    expect(await rows.locator("td:nth-child(2) > div:first-child").allTextContents(), "the critical entries, in order").toEqual(critical.map((e) => e.rule));
    const count = page.getByTestId("filter-count");
    expect(await count.textContent()).toBe(`${critical.length} of ${log.length} entries`);

    // The log is read again every 5 s: the filter stays, and so does what it shows.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { lookoutFake: Fake }).lookoutFake.reads), { timeout: 8000 })
      .toBeGreaterThan(0);
    await page.waitForTimeout(300);
    expect(await page.getByTestId("filter-severity").inputValue(), "still chosen after a refresh").toBe("critical");
    expect(await rows.count(), "still filtered after a refresh").toBe(critical.length);
    expect(await count.textContent()).toBe(`${critical.length} of ${log.length} entries`);

    await page.getByTestId("filter-state").selectOption("resolved");
    const resolved = critical.filter((e) => e.state === "resolved");
    expect(resolved.length, "critical entries that resolved").toBeGreaterThan(0);
    await expect.poll(() => rows.count()).toBe(resolved.length);
    expect(await rows.locator(".chip").allTextContents(), "only resolved entries").toEqual(resolved.map(() => "Resolved"));
    expect(await count.textContent()).toBe(`${resolved.length} of ${log.length} entries`);

    const calm = [...new Set(log.map((e) => e.rule))].find((r) => !critical.some((e) => e.rule === r));
    expect(calm, "a rule with no critical entry").toBeDefined();
    await page.getByTestId("filter-rule").selectOption({ label: calm! });
    const none = page.getByTestId("filter-none");
    await none.waitFor();
    expect(await rows.count(), "nothing matches").toBe(0);
    expect(await none.textContent()).toContain("No entries match these filters.");
    expect(await count.textContent()).toBe(`0 of ${log.length} entries`);
    expect(await page.getByTestId("alerts-empty").count(), "not the message of an empty log").toBe(0);
    await page.screenshot({ path: `${SHOTS}/alerts-filtered-none.png` });

    await page.getByTestId("filter-none-reset").click();
    await expect.poll(() => rows.count()).toBe(log.length);
    expect(await count.count(), "all shown: no count").toBe(0);
    expect(await page.getByTestId("filter-rule").evaluate((s: HTMLSelectElement) => s.selectedIndex), "All rules again").toBe(0);
    expect(await page.getByTestId("filter-severity").inputValue()).toBe("all");
    expect(await page.getByTestId("filter-state").inputValue()).toBe("all");

    await page.getByTestId("filter-state").selectOption("firing");
    await page.getByTestId("range-24h").check();
    const firing = log.filter((e) => e.state === "firing").length;
    await expect.poll(() => rows.count(), { message: "the last 24 hours hold fewer firings", timeout: 10_000 }).toBeLessThan(firing);
    expect(await rows.count()).toBeGreaterThan(0);
    expect(new Set(await rows.locator(".chip").allTextContents()), "another time range keeps the filter").toEqual(new Set(["Firing"]));
    await page.getByTestId("filter-reset").click();
    expect(await page.getByTestId("filter-state").inputValue(), "cleared from the filter bar too").toBe("all");
    expect(await page.getByTestId("filter-reset").count()).toBe(0);
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
    await page.screenshot({ path: `${SHOTS}/notifications-tested.png`, fullPage: true });
    await page.getByTestId("nav-settings").click();
    await page.getByTestId("autostart").check();
    await expect.poll(() => page.getByTestId("autostart").isChecked()).toBe(true);
    await page.close();
  }, T);

  test("quiet hours: an empty span is refused next to its field, a valid one is saved", async () => {
    const page = await open("settings");
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

  test("the theme follows the OS until one is picked, applies before the window shows, and charts follow it", async () => {
    const page = await h.newPage({ dark: true });
    // When the window first shows anything: the theme <html> has then, and the page colour.
    await page.addInitScript(() => {
      const seen: (string | null)[] = [];
      (window as unknown as { themeAtMount: (string | null)[] }).themeAtMount = seen;
      new MutationObserver((_m, observer) => {
        if (document.getElementById("app")?.firstElementChild) {
          seen.push(document.documentElement.getAttribute("data-theme"));
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${h.url}#/settings`);
    const html = page.locator("html");
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const stored = () => page.evaluate(() => localStorage.getItem("lookout.theme"));
    await page.getByRole("group", { name: "Theme" }).waitFor();
    expect(await page.getByTestId("theme-system").isChecked(), "nothing picked: the system's").toBe(true);
    expect(await html.getAttribute("data-theme")).toBeNull();
    expect(await background(), "a dark OS: dark").toBe("rgb(22, 24, 28)");

    await page.getByTestId("theme-light").check();
    expect(await html.getAttribute("data-theme")).toBe("light");
    expect(await background(), "picked light on a dark OS").toBe("rgb(244, 245, 247)");
    expect(await stored()).toBe("light");
    // A radio group: the arrow keys move the choice.
    await page.getByTestId("theme-light").focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => html.getAttribute("data-theme")).toBe("dark");
    expect(await page.getByTestId("theme-dark").isChecked()).toBe(true);
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).boxShadow), "focus is drawn").not.toBe("none");
    await page.getByTestId("theme-light").check();

    await page.reload();
    await page.getByTestId("theme-light").waitFor();
    expect(await page.evaluate(() => (window as unknown as { themeAtMount: (string | null)[] }).themeAtMount), "light before the first view").toEqual(["light"]);
    expect(await page.getByTestId("theme-light").isChecked()).toBe(true);
    expect(await background()).toBe("rgb(244, 245, 247)");

    await page.getByTestId("theme-system").check();
    expect(await html.getAttribute("data-theme")).toBeNull();
    expect(await stored(), "system is nothing stored").toBeNull();
    expect(await background()).toBe("rgb(22, 24, 28)");

    // Following the OS, the charts are drawn again in the other theme's colours.
    await page.getByTestId("nav-overview").click();
    await page.getByTestId("live-cpu").waitFor();
    await page.locator(".spark canvas").first().waitFor();
    await page.evaluate(() => document.querySelectorAll(".spark canvas").forEach((c) => c.setAttribute("data-old", "1")));
    await page.emulateMedia({ colorScheme: "light" });
    await expect.poll(() => page.locator('.spark canvas[data-old="1"]').count(), { timeout: 5000 }).toBe(0);
    expect(await page.locator(".spark canvas").count(), "every chart drawn again").toBeGreaterThan(2);
    expect(await background()).toBe("rgb(244, 245, 247)");
    await page.close();
  }, T);

  test("settings: the disk the history uses, and amounts that are not whole numbers stay in the form", async () => {
    const page = await open("settings");
    const bytes = page.getByTestId("storage-usage-bytes");
    await bytes.waitFor();
    expect(await bytes.textContent()).toMatch(/On disk now: [\d.]+ MiB in all, [\d.]+ MiB of it history\./);
    expect(await page.getByTestId("storage-usage-since").textContent()).toMatch(/History since .+ \(40 d ago\)\./);
    const about = page.getByTestId("history-about");
    expect(await about.textContent()).toContain("every reading for 48 hours");
    expect(await about.textContent()).toContain("for 730 days");

    const raw = page.getByTestId("storage-raw-hours");
    await raw.fill("two days");
    const local = page.getByTestId("storage-raw-hours-local");
    await local.waitFor();
    expect(await raw.getAttribute("aria-invalid")).toBe("true");
    expect(await raw.getAttribute("aria-describedby")).toContain("storage-raw-hours-local");
    await page.getByTestId("save").click();
    expect(await page.getByTestId("save-error").textContent(), "refused before asking Lookout").toContain("1 problem");
    const saved = () => page.evaluate(() =>
      (window as unknown as { lookoutFake: { getConfig(): Promise<{ storage: { raw_hours: number } }> } }).lookoutFake.getConfig(),
    );
    expect((await saved()).storage.raw_hours).toBe(48);
    expect(await raw.inputValue(), "the typed text is kept").toBe("two days");
    await raw.fill("48");
    expect(await local.count()).toBe(0);
    expect(await raw.getAttribute("aria-invalid")).not.toBe("true");
    await page.close();
  }, T);

  test("settings: the sampling interval and the history amounts are checked by Lookout and saved", async () => {
    const page = await open("settings");
    const interval = page.getByTestId("sampling-interval");
    await interval.fill("soon"); // sampling_interval_soon
    const intervalError = page.getByTestId("error-sampling-interval");
    await intervalError.waitFor();
    expect(await intervalError.locator("[data-code]").getAttribute("data-code")).toBe("duration.invalid");
    await interval.fill("1s"); // default
    await expect.poll(() => intervalError.count()).toBe(0);

    const raw = page.getByTestId("storage-raw-hours");
    await raw.fill("0"); // storage_raw_hours_0
    const rawError = page.getByTestId("error-storage-raw_hours");
    await rawError.waitFor();
    expect(await rawError.locator("[data-code]").getAttribute("data-code")).toBe("storage.out_of_range");
    expect(await raw.getAttribute("aria-invalid")).toBe("true");
    await raw.fill("24"); // storage_raw_hours_24
    await page.getByTestId("save").click();
    await page.getByTestId("save-confirmation").waitFor();
    expect(await rawError.count()).toBe(0);
    expect(await page.getByTestId("history-about").textContent()).toContain("every reading for 24 hours");
    const saved = await page.evaluate(() =>
      (window as unknown as { lookoutFake: { getConfig(): Promise<{ storage: { raw_hours: number } }> } }).lookoutFake.getConfig(),
    );
    expect(saved.storage.raw_hours).toBe(24);
    await page.screenshot({ path: `${SHOTS}/settings-saved.png`, fullPage: true });
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

  test("settings pause and resume alerts too, and the overview shows the same pause", async () => {
    const page = await open("settings");
    await page.getByTestId("settings-pause-15m").click();
    const until = page.getByTestId("settings-paused-until");
    await until.waitFor();
    expect(await until.textContent()).toContain("Alerts paused until");
    await page.goto(`${h.url}#/overview`);
    await page.getByTestId("paused-until").waitFor();
    await page.goto(`${h.url}#/settings`);
    await page.getByTestId("settings-resume").click();
    await page.getByTestId("settings-pause-15m").waitFor();
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

  test("a watch added from the running processes shows in Watched apps", async () => {
    const page = await open("overview");
    await page.getByTestId("live-cpu").waitFor();
    await page.getByTestId("watches-empty").waitFor();
    await page.getByTestId("add-watch").click();
    const dialog = page.getByTestId("add-watch-dialog");
    await dialog.getByTestId("process-group").first().waitFor();
    const all = await dialog.getByTestId("process-group").count();
    await dialog.getByTestId("watch-search").fill("firefox");
    await expect.poll(() => dialog.getByTestId("process-group").count(), { message: "the search narrows the list" }).toBe(1);
    const group = dialog.getByTestId("process-group").first();
    expect(await group.textContent(), "one group for the program: count, CPU, memory").toMatch(/3 processes · [\d.]+ % CPU · [\d.]+ GiB/);
    expect(all, "the list was longer before").toBeGreaterThan(5);
    await group.click();
    expect(await dialog.getByTestId("watch-name").inputValue(), "named after the process").toBe("firefox-esr");
    expect(await dialog.getByTestId("watch-criterion").inputValue(), "matched by its executable").toBe("exe");
    expect(await dialog.getByTestId("watch-value").inputValue()).toBe("/usr/lib/firefox-esr/firefox-esr");
    await dialog.getByTestId("watch-save").click();
    await dialog.waitFor({ state: "hidden" });
    const card = page.locator('[data-testid="watch-card"][data-watch="firefox-esr"]');
    await card.waitFor();
    await expect.poll(() => card.getByTestId("watch-running").textContent(), { timeout: 10_000 }).toBe("3 running");
    expect(await card.getAttribute("data-state")).toBe("running");
    expect(await card.getByTestId("watch-cpu").textContent()).toMatch(/^\d+(\.\d)? %$/);
    expect(await card.getByTestId("watch-memory").textContent()).toMatch(/GiB$/);
    expect(await card.locator(".spark").count(), "a CPU and a memory sparkline").toBe(2);
    expect(await card.getByTestId("watch-cpu-chart").locator(".spark canvas").count()).toBe(1);
    expect(await card.getByTestId("watch-memory-chart").locator(".spark canvas").count()).toBe(1);
    const saved = await page.evaluate(() =>
      (window as unknown as { lookoutFake: { getConfig(): Promise<{ apps?: { name: string; match: object }[] }> } }).lookoutFake.getConfig(),
    );
    expect(saved.apps, "saved through the config").toEqual([
      { name: "firefox-esr", match: { exe: "/usr/lib/firefox-esr/firefox-esr" }, include_children: true },
    ]);
    expect(await page.getByTestId("watches-empty").count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/overview-watch.png` });
    // Over a history range, the watch's CPU and memory are charted from the recorded history.
    await page.getByTestId("chart-range-24h").check();
    const history = card.getByTestId("history-chart");
    await expect.poll(() => history.count()).toBe(2);
    for (const i of [0, 1]) await expect.poll(() => history.nth(i).getAttribute("data-state"), { timeout: 10_000 }).toBe("ready");
    expect(await card.locator(".spark").count(), "no sparklines then").toBe(0);
    await page.close();
  }, T);

  test("a watch's problems show next to its fields, typed text kept; a watch of nothing running is a problem", async () => {
    const page = await open("overview");
    await page.getByTestId("add-watch").click();
    const dialog = page.getByTestId("add-watch-dialog");
    await dialog.getByTestId("watch-source-pattern").check();
    expect(await dialog.getByTestId("process-group").count(), "no picker when typing a pattern").toBe(0);
    await dialog.getByTestId("watch-name").fill("my web server");
    await dialog.getByTestId("watch-criterion").selectOption("exe");
    await dialog.getByTestId("watch-value").fill("sbin/nginx");
    await dialog.getByTestId("watch-save").click();
    const nameErr = dialog.getByTestId("error-apps-0-name");
    await nameErr.waitFor();
    expect(await nameErr.locator("[data-code]").getAttribute("data-code")).toBe("app.name.invalid");
    expect(await dialog.locator(".field", { has: page.getByTestId("watch-name") }).getByTestId("error-apps-0-name").count(), "in the name's own box").toBe(1);
    expect(await dialog.getByTestId("error-apps-0-match-exe").locator("[data-code]").getAttribute("data-code")).toBe("app.match.exe_not_absolute");
    expect(await dialog.getByTestId("watch-name").inputValue(), "typed text kept").toBe("my web server");
    expect(await dialog.getByTestId("watch-value").inputValue()).toBe("sbin/nginx");
    expect(await dialog.getByTestId("watch-name").getAttribute("aria-invalid")).toBe("true");
    expect(await dialog.getByTestId("watch-save-error").isVisible(), "not saved, and it says so").toBe(true);
    await dialog.getByTestId("watch-name").fill("nginx");
    await dialog.getByTestId("watch-value").fill("/usr/sbin/nginx");
    await expect.poll(() => nameErr.count(), { message: "fixed: the error goes" }).toBe(0);
    await dialog.getByTestId("watch-save").click();
    await dialog.waitFor({ state: "hidden" });
    const card = page.locator('[data-testid="watch-card"][data-watch="nginx"]');
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 10_000 }).toBe("stopped");
    expect(await card.getByTestId("watch-running").textContent()).toBe("Not running");
    expect(await card.getByTestId("watch-cpu").textContent(), "no reading is a dash, never 0").toBe("–");
    await page.close();
  }, T);

  test("the alert log shows the culprits and the action runs of an entry", async () => {
    const page = await open("alerts");
    await page.getByTestId("range-7d").check();
    await page.getByTestId("culprit-row").first().waitFor();
    const culprits = page.getByTestId("culprits").first();
    const first = culprits.getByTestId("culprit-row").first();
    expect(await first.locator("td").allTextContents()).toEqual([
      "cc1plus", "48211", "dev", "46.5 %", "612 MiB", "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus -O2 -quiet src/render.cpp",
    ]);
    const command = first.getByTestId("culprit-command");
    expect(await command.getAttribute("title"), "the whole command on hover").toBe(await command.textContent());
    const style = await command.evaluate((el) => [getComputedStyle(el).textOverflow, getComputedStyle(el).fontFamily]);
    expect(style[0], "ellipsised").toBe("ellipsis");
    expect(style[1], "monospace").toMatch(/mono/i);
    const run = page.getByTestId("action-run").first();
    expect(await run.getByTestId("action-command").textContent()).toBe("/usr/local/bin/clean-build-cache --older-than 7d");
    expect(await run.getByTestId("action-outcome").textContent()).toBe("exited 0");
    expect(await run.textContent(), "what ran it").toContain("ran on Firing");
    expect(await run.getByTestId("action-took").textContent()).toBe("took 2.4 s");
    const output = run.getByTestId("action-output");
    expect(await output.isVisible(), "the output is folded away").toBe(false);
    await run.locator("summary").click();
    expect(await output.textContent()).toBe("removed 214 files (3.1 GiB)\n");
    expect(await run.getByTestId("action-output-cut").count(), "not cut").toBe(0);
    const rows = await page.getByTestId("alert-row").count();
    expect(await page.getByTestId("alert-details").count(), "only entries with something to show have details").toBeLessThan(rows);
    await page.screenshot({ path: `${SHOTS}/alerts-details.png`, fullPage: true });
    await page.close();
  }, T);

  test("an entry where Lookout gave up an action has its own label, colour and sentence", async () => {
    const page = await h.newPage();
    await fileWithActions(page, { gaveUp: true });
    await page.goto(`${h.url}#/alerts`);
    const row = page.getByTestId("alert-row").first();
    await row.waitFor();
    const chip = row.locator(".chip");
    expect(await chip.textContent()).toBe("Gave up");
    const colours = await chip.evaluate((el) => {
      const firing = document.querySelector('[data-testid="alert-row"] .chip.firing');
      return [getComputedStyle(el).backgroundColor, firing ? getComputedStyle(firing).backgroundColor : ""];
    });
    expect(colours[1], "a firing entry to compare with").not.toBe("");
    expect(colours[0], "not the colour of a firing").not.toBe(colours[1]);
    expect(await page.getByTestId("gave-up").first().textContent()).toBe(
      "Gave up running /usr/local/bin/clean-build-cache --older-than 7d after 3 tries in 1 h. It runs again once the rule has resolved.",
    );
    await page.close();
  }, T);

  test("a rule's actions are shown read-only and sent back as loaded when a rule is saved", async () => {
    const page = await h.newPage();
    await fileWithActions(page);
    await page.goto(`${h.url}#/rules`);
    await page.getByTestId("rule-form").waitFor();
    expect(await page.getByTestId("rule-actions-none").count(), "the first rule has none").toBe(1);
    await page.getByTestId("rule-row").nth(3).click();
    const actions = page.getByTestId("rule-actions");
    await actions.getByTestId("rule-action").first().waitFor();
    expect(await actions.getByTestId("rule-action").count()).toBe(1);
    const text = (await actions.textContent()) ?? "";
    expect(text).toContain("/usr/local/bin/clean-build-cache --older-than 7d");
    expect(text).toContain("runs on Firing and Reminder · stopped after 5 min · at most 3 runs in 1 h");
    expect(text, "says where actions are set").toContain("Set in the config file");
    expect(await actions.locator("input, select, textarea, button").count(), "nothing to edit").toBe(0);
    await page.getByTestId("rule-name").fill("Root disk nearly full");
    await page.getByTestId("rule-actions-renamed").waitFor();
    await page.getByTestId("rule-name").fill("Root disk almost full");
    expect(await page.getByTestId("rule-actions-renamed").count(), "back to its name: no warning").toBe(0);
    await page.getByTestId("rule-row").first().click();
    await page.getByTestId("rule-name").fill("CPU busy for ten minutes");
    await page.getByTestId("rule-window").fill("10m"); // rule0_renamed
    await page.getByTestId("save").click();
    await page.getByTestId("save-confirmation").waitFor();
    const sent = await page.evaluate(() => (window as unknown as { sentConfigs: { rules: { name: string; actions?: unknown }[] }[] }).sentConfigs);
    expect(sent.length).toBe(1);
    expect(sent[0].rules.map((r) => r.actions ?? null), "the actions went back exactly as loaded, and only there").toEqual([
      null, null, null, DISK_RULE_ACTIONS,
    ]);
    await page.getByTestId("rule-row").nth(3).click();
    expect(await page.getByTestId("rule-action").count(), "still shown after saving").toBe(1);
    await page.screenshot({ path: `${SHOTS}/rules-actions.png`, fullPage: true });
    await page.close();
  }, T);

  test("screenshots of every view, light and dark", async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const dark of [false, true]) {
      for (const view of ["overview", "alerts", "rules", "notifications", "settings"]) {
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
