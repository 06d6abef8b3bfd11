// End to end: the built window in headless Chromium against the fake backend, under the
// strict CSP: live values, rule editing with field errors, saving, the alert log, the keyboard,
// screenshots. Notifications and Settings are in settings.test.ts, watches and actions in
// apps.test.ts.
// The fake answers from recordings of the real monitor: every config saved here is one of the
// drafts of crates/lookout-monitor/tests/ui_fixtures.rs (named in comments).
import { mkdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { Locator } from "playwright-core";
import { harnessForFile, SHOTS } from "./harness";

const T = 30_000;
const h = harnessForFile();

describe("the Lookout window in a browser", () => {
  test("the overview shows a live CPU value that changes", async () => {
    const page = await h.open("overview");
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
    const page = await h.open("overview");
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
    const page = await h.open("rules");
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
    const page = await h.open("rules");
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
    const page = await h.open("rules");
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
    const page = await h.open("alerts");
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
    const page = await h.open("alerts");
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

  test("the window is keyboard reachable with a visible focus", async () => {
    const page = await h.open("overview");
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
      for (const view of ["overview", "alerts", "rules", "notifications", "settings"]) {
        const page = await h.open(view, { dark, tall: true });
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
