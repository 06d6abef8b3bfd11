// End to end: Prometheus and web access ([http]) in the Settings view, in headless Chromium
// against the fake backend under the strict CSP. Every recording serves nothing: the fake
// keeps the [http] a saved config has (the rest of the config is the recorded default) and
// answers Lookout's two checks of it itself (httpProblems() in src/lib/httpSettings.ts).
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

type Http = { listen: string; dashboard: boolean };
const savedHttp = (page: Page) =>
  page.evaluate(() => (window as unknown as { lookoutFake: { getConfig(): Promise<{ http: Http }> } }).lookoutFake.getConfig().then((c) => c.http));

describe("Prometheus and web access in the window", () => {
  test("metrics are turned on at an address, a bad address is refused next to its field, and the dashboard is saved", async () => {
    const page = await h.open("settings");
    const enabled = page.getByTestId("http-enabled");
    await enabled.waitFor();
    const listen = page.getByTestId("http-listen");
    const dashboard = page.getByTestId("http-dashboard");
    const url = page.getByTestId("http-metrics-url");
    expect(await enabled.isChecked(), "the recorded config serves nothing").toBe(false);
    expect(await listen.count(), "no address while off").toBe(0);
    expect(await dashboard.isDisabled(), "no dashboard without an address").toBe(true);
    expect(await page.getByRole("heading", { name: "Prometheus and web access" }).count()).toBe(1);

    // On: this computer only, at the known port.
    await enabled.check();
    expect(await listen.inputValue()).toBe("127.0.0.1:9464");
    expect(await page.getByLabel("Address and port", { exact: true }).getAttribute("data-testid")).toBe("http-listen");
    expect(await listen.getAttribute("aria-describedby")).toContain("http-listen-hint");
    expect(await page.locator("#http-listen-hint").textContent()).toContain("http-token");
    expect(await url.textContent()).toContain("http://127.0.0.1:9464/metrics");
    expect(await page.getByTestId("http-token-needed").count(), "loopback needs no token").toBe(0);
    expect(await dashboard.isDisabled()).toBe(false);

    // An address Lookout cannot read: its error next to the field, and Save refuses it.
    await listen.fill("localhost:9464");
    const listenError = page.getByTestId("error-http-listen");
    await listenError.waitFor();
    expect(await listenError.locator("[data-code]").getAttribute("data-code")).toBe("http.listen.invalid");
    expect(await listenError.textContent(), "the message names it and says what is accepted").toContain(
      "“localhost:9464” is not an address and port; use one like 127.0.0.1:9464",
    );
    expect(await listen.getAttribute("aria-invalid")).toBe("true");
    expect(await listen.getAttribute("aria-describedby")).toContain("http-listen-error");
    expect(await url.count(), "no scrape address for an address that is not one").toBe(0);
    await page.getByTestId("save").click();
    await expect.poll(() => page.getByTestId("save-error").textContent()).toContain("1 problem");
    expect(await savedHttp(page), "nothing saved").toEqual({ listen: "", dashboard: false });
    expect(await listen.inputValue(), "the typed text is kept").toBe("localhost:9464");

    // Every interface: reachable from elsewhere, so behind the token.
    await listen.fill("0.0.0.0:9464");
    await expect.poll(() => listenError.count()).toBe(0);
    expect(await url.textContent()).toContain("http://0.0.0.0:9464/metrics");
    expect(await page.getByTestId("http-token-needed").textContent()).toContain("access token");

    // The dashboard needs the address: emptying it is refused next to the dashboard.
    await dashboard.check();
    await listen.fill("");
    expect(await listen.count(), "the field stays while metrics are on").toBe(1);
    const dashboardError = page.getByTestId("error-http-dashboard");
    await dashboardError.waitFor();
    expect(await dashboardError.locator("[data-code]").getAttribute("data-code")).toBe("http.dashboard.no_listen");
    expect(await dashboardError.textContent()).toContain("The dashboard needs an address to serve on");
    expect(await dashboard.isDisabled(), "still checked, so it can be unchecked").toBe(false);
    expect(await dashboard.getAttribute("aria-describedby")).toContain("http-dashboard-error");

    await listen.fill("0.0.0.0:9464");
    await expect.poll(() => dashboardError.count()).toBe(0);
    await page.getByTestId("save").click();
    await page.getByTestId("save-confirmation").waitFor();
    expect(await savedHttp(page)).toEqual({ listen: "0.0.0.0:9464", dashboard: true });
    await page.screenshot({ path: `${SHOTS}/settings-http.png`, fullPage: true });

    // Off: no address and no dashboard.
    await enabled.uncheck();
    expect(await listen.count()).toBe(0);
    expect(await dashboard.isChecked()).toBe(false);
    expect(await dashboard.isDisabled()).toBe(true);
    await page.getByTestId("save").click();
    await expect.poll(() => savedHttp(page)).toEqual({ listen: "", dashboard: false });
    await page.getByTestId("save-confirmation").waitFor();
    await page.close();
  }, T);

  test("nothing logged an error or broke the CSP", () => {
    expect(h.problems, "console errors, page errors and CSP violations").toEqual([]);
  });
});
