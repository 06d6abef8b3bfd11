// End to end: the Notifications and Settings views in headless Chromium against the fake
// backend, under the strict CSP: tests of the channels, quiet hours, the theme, the sampling
// and history amounts, and pausing alerts. Configs saved here are drafts of
// crates/lookout-monitor/tests/ui_fixtures.rs (named in comments).
import { describe, expect, test } from "vitest";
import { harnessForFile, SHOTS } from "./harness";

const T = 30_000;
const h = harnessForFile();

describe("notifications and settings in a browser", () => {
  test("notifications: test buttons report outcomes, the password is write-only", async () => {
    const page = await h.open("notifications");
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
    const page = await h.open("settings");
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
    const page = await h.open("settings");
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
    const page = await h.open("settings");
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
    const page = await h.open("overview");
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
    const page = await h.open("settings");
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

  test("nothing logged an error or broke the CSP", () => {
    expect(h.problems, "console errors, page errors and CSP violations").toEqual([]);
  });
});
