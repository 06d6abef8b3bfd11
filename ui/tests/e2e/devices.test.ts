// End to end: the overview's batteries, disk activity, GPUs and probes (the fake backend's
// demo devices, fakeDevices.ts: none was recorded), live and over 24 h; and the rule editor's
// "Only while" (only_when), read back in the rule's sentence, with Lookout's error for it next
// to the field. Screenshots go to $UI_SHOTS_DIR (/tmp/ui-shots).
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { type Harness, SHOTS, startHarness } from "./harness";

const T = 30_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  mkdirSync(SHOTS, { recursive: true });
}, T);

afterAll(async () => {
  await h?.close();
});

/**
 * Before the page loads: the fake answers a draft whose first rule has only_when "charging < 1"
 * as Lookout would (no recorded config has an only_when).
 */
async function refuseBareCondition(page: Page): Promise<void> {
  await page.addInitScript(() => {
    type Fake = { validateConfig(c: { rules: { only_when?: string | null }[] }): Promise<unknown[]> };
    let fake: Fake | undefined;
    Object.defineProperty(window, "lookoutFake", {
      configurable: true,
      get: () => fake,
      set: (f: Fake) => {
        const validate = f.validateConfig.bind(f);
        f.validateConfig = async (c) =>
          c.rules[0]?.only_when === "charging < 1"
            ? [{ path: ["rules", 0, "only_when"], code: "rule.only_when.invalid", params: { value: "charging < 1" }, message: "unknown metric 'charging'" }]
            : validate(c);
        fake = f;
      },
    });
  });
}

describe("batteries, disks, GPUs and probes", () => {
  test("the overview has a card of each, with its chart, live and over 24 h", async () => {
    const page = await h.newPage({ tall: true });
    await page.goto(`${h.url}#/overview`);
    await page.getByTestId("live-cpu").waitFor();
    const before = h.problems.length;
    const sections = {
      "batteries-section": "live-battery-BAT0", "diskio-section": "live-diskio-nvme0n1", "gpus-section": "live-gpu-0", "probes-section": "live-probe-nas",
    };
    for (const [section, value] of Object.entries(sections)) {
      const cards = page.getByTestId(section).locator("section.metric");
      expect(await cards.count(), `${section}: one demo device`).toBe(1);
      expect(await cards.getByTestId(value).count(), section).toBe(1);
      expect(await cards.locator(".spark canvas").count(), `${section}: a sparkline`).toBe(1);
    }
    expect(await page.getByTestId("live-battery-BAT0").textContent(), "the charge").toMatch(/^\d+(\.\d)? %$/);
    expect(await page.getByTestId("battery-state").textContent(), "1 and 0 as words").toMatch(/not charging\s*on battery/);
    expect(await page.getByTestId("batteries-section").textContent(), "time to empty").toMatch(/\d+ h( \d+ min)? left/);
    expect(await page.getByTestId("live-diskio-nvme0n1").textContent()).toMatch(/^read [\d.,]+ k?[MG]?B\/s$/);
    expect(await page.getByTestId("live-diskio-busy-nvme0n1").getByRole("meter").count(), "how busy the disk is").toBe(1);
    expect(await page.getByTestId("live-gpu-0").textContent()).toMatch(/^\d+(\.\d)? %$/);
    expect(await page.getByTestId("gpus-section").textContent(), "VRAM and temperature").toMatch(/VRAM \d+(\.\d)? % · \d+ °C/);
    expect(await page.getByTestId("live-probe-nas").textContent()).toMatch(/^\d+(\.\d)? ms$/);
    expect(await page.getByTestId("probe-state").textContent()).toBe("up");
    await page.screenshot({ path: `${SHOTS}/overview-devices.png`, fullPage: true });

    await page.getByTestId("chart-range-24h").check();
    for (const section of Object.keys(sections)) {
      const chart = page.getByTestId(section).getByTestId("history-chart");
      await expect.poll(() => chart.getAttribute("data-state"), { timeout: 10_000, message: section }).toBe("ready");
    }
    await page.screenshot({ path: `${SHOTS}/overview-devices-24h.png`, fullPage: true });
    expect(h.problems.slice(before), "console errors, page errors").toEqual([]);
    await page.close();
  }, T);

  test("a rule's 'Only while' is read back in its sentence, and Lookout's error shows by the field", async () => {
    const page = await h.newPage();
    await refuseBareCondition(page);
    await page.goto(`${h.url}#/rules`);
    await page.getByTestId("rule-form").waitFor();
    const field = page.getByTestId("rule-only-when");
    expect(await field.inputValue(), "the recorded rules have none").toBe("");
    expect(await field.getAttribute("placeholder")).toBe("always");
    await field.fill("battery.BAT0.charging < 1");
    await expect.poll(() => page.getByTestId("rule-summary").textContent()).toMatch(/It fires only while battery\.BAT0\.charging < 1\.$/);
    await field.fill("charging < 1");
    const err = page.getByTestId("error-rules-0-only_when");
    await err.waitFor();
    expect(await err.locator("[data-code]").getAttribute("data-code")).toBe("rule.only_when.invalid");
    expect(await err.textContent(), "in the catalog's words").toContain("'charging < 1' cannot be a condition");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    await field.fill("");
    await expect.poll(() => page.getByTestId("rule-summary").textContent(), { message: "cleared: always" }).not.toContain("only while");
    await page.close();
  }, T);
});
