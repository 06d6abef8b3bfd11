// Every view in both languages and both themes, in headless Chromium against the fake
// backend: it renders with no console error, axe-core (injected into the page) finds no
// serious or critical accessibility violation, and a screenshot of it is kept as a test
// artifact in $UI_SHOTS_DIR (/tmp/ui-shots): <view>-<lang>-<theme>.png.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { type Harness, SHOTS, startHarness } from "./harness";

const T = 60_000;
const VIEWS = ["overview", "alerts", "deliveries", "rules", "notifications", "settings"] as const;
const LANGS = { en: "en-US", ko: "ko-KR" } as const;
const THEMES = ["light", "dark"] as const;
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  mkdirSync(SHOTS, { recursive: true });
}, T);

afterAll(async () => {
  await h?.close();
});

/** Waits until the view has its content: its heading, nothing busy, the overview's live values. */
async function settled(page: Page, view: string): Promise<void> {
  await page.locator("main h1").first().waitFor();
  if (view === "overview") await page.getByTestId("live-cpu").waitFor();
  if (view === "alerts") await page.getByTestId("alert-row").first().waitFor();
  if (view === "rules") await page.getByTestId("rule-row").first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);
  // Fonts and the charts' first frame.
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => r(null)))));
}

/** axe-core's serious and critical violations on the page as it is now. */
async function violations(page: Page): Promise<Violation[]> {
  // Evaluated over DevTools, so the window's strict CSP (no inline scripts) does not apply.
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical");
}

describe("every view, both languages, both themes", () => {
  for (const [lang, locale] of Object.entries(LANGS)) {
    for (const theme of THEMES) {
      test(`${lang}, ${theme}: renders cleanly and passes axe`, async () => {
        const page = await h.newPage({ locale, dark: theme === "dark" });
        const seen = h.problems.length;
        for (const view of VIEWS) {
          await page.goto(`${h.url}#/${view}`);
          await settled(page, view);
          expect(await page.evaluate(() => document.documentElement.lang), `${view}: the page's language`).toBe(lang);
          const bad = await violations(page);
          expect(bad, `${view} (${lang}, ${theme}): ${JSON.stringify(bad, null, 1)}`).toEqual([]);
          await page.screenshot({ path: `${SHOTS}/${view}-${lang}-${theme}.png`, fullPage: true });
        }
        expect(h.problems.slice(seen), "no console error or warning").toEqual([]);
        await page.close();
      }, T * 2);
    }
  }
});
