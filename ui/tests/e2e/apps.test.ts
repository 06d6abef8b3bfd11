// End to end: watched apps and actions in headless Chromium against the fake backend, under
// the strict CSP: a watch added from the running processes, its field errors, the culprits and
// action runs of an alert log entry, and a rule's read-only actions. Configs saved here are
// drafts of crates/lookout-monitor/tests/ui_fixtures.rs (named in comments).
import { describe, expect, test } from "vitest";
import { DISK_RULE_ACTIONS, fileWithActions, harnessForFile, SHOTS } from "./harness";

const T = 30_000;
const h = harnessForFile();

describe("watched apps and actions in a browser", () => {
  test("a watch added from the running processes shows in Watched apps", async () => {
    const page = await h.open("overview");
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
    const page = await h.open("overview");
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
    const page = await h.open("alerts");
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

  test("nothing logged an error or broke the CSP", () => {
    expect(h.problems, "console errors, page errors and CSP violations").toEqual([]);
  });
});
