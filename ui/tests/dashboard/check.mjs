// Drives Debian's Chromium against a running `lookout run --listen ADDR --dashboard` (started
// by crates/lookout-cli/tests/dashboard_e2e.rs): no token → 401, a rebound host name → 403,
// the one-time link → the window with live values, the link again → 401, and no request or
// answer the page exchanged carries a secret. Prints one JSON line; exits 1 on a failure.
//
// Arguments: <base url> <login url> <screenshot path>; env LOOKOUT_SECRETS: secrets, one per line.
import { chromium } from "playwright-core";

const [base, login, shot] = process.argv.slice(2);
const secrets = (process.env.LOOKOUT_SECRETS ?? "").split("\n").filter(Boolean);
const port = new URL(base).port;
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    // A DNS-rebinding page: a foreign name that resolves to the dashboard's address.
    "--host-resolver-rules=MAP rebind.example 127.0.0.1",
  ],
});
const report = { log: [] };
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const exchanged = [];
  page.on("request", (request) => {
    exchanged.push(`${request.method()} ${request.url()}\n${JSON.stringify(request.headers())}\n${request.postData() ?? ""}`);
  });
  page.on("response", async (response) => {
    const type = response.headers()["content-type"] ?? "";
    const body = type.includes("event-stream") ? "" : await response.text().catch(() => "");
    exchanged.push(`${response.status()} ${response.url()}\n${JSON.stringify(response.headers())}\n${body}`);
  });

  const bare = await page.goto(base);
  check(bare?.status() === 401, `without the token: ${bare?.status()}`);
  report.without_token = bare?.status();

  const rebound = await page.goto(`http://rebind.example:${port}/`);
  check(rebound?.status() === 403, `a rebound host name: ${rebound?.status()}`);
  report.wrong_host = rebound?.status();

  const opened = await page.goto(login);
  check(opened?.status() === 200, `the login link: ${opened?.status()}`);
  check(page.url() === base, `the link lands on the window without its code: ${page.url()}`);
  const cpu = page.getByTestId("live-cpu");
  await cpu.waitFor({ timeout: 20_000 });
  const first = (await cpu.textContent())?.trim() ?? "";
  check(/\d/.test(first), `a live CPU value: ${first}`);
  // Live: the page opened the tick stream, and a second tick (a new one, after the latest
  // sent at once) arrives on it.
  check(exchanged.some((e) => e.startsWith("GET ") && e.includes("/api/ticks")), "the page streams ticks");
  const streamed = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const source = new EventSource("/api/ticks");
        let n = 0;
        source.addEventListener("tick", () => {
          n += 1;
          if (n === 2) {
            source.close();
            resolve(n);
          }
        });
        setTimeout(() => {
          source.close();
          resolve(n);
        }, 15_000);
      }),
  );
  check(streamed === 2, `ticks on the stream: ${streamed}`);
  report.cpu = first;
  for (const view of ["notifications", "settings", "alerts", "rules"]) {
    await page.goto(`${base}#/${view}`);
    await page.waitForLoadState("networkidle").catch(() => {});
    await page.waitForTimeout(500);
  }
  await page.goto(base);
  await cpu.waitFor({ timeout: 20_000 });
  await page.waitForTimeout(2500);
  if (shot) await page.screenshot({ path: shot, fullPage: false });

  const again = await (await browser.newContext()).newPage();
  const reused = await again.goto(login);
  check(reused?.status() === 401, `the link a second time: ${reused?.status()}`);

  for (const secret of secrets) {
    const leaks = exchanged.filter((entry) => entry.includes(secret));
    check(leaks.length === 0, `a secret in the network log: ${leaks.map((l) => l.split("\n")[0]).join(", ")}`);
  }
  report.exchanged = exchanged.length;
} catch (e) {
  failures.push(String(e));
} finally {
  await browser.close();
}
report.failures = failures;
delete report.log;
console.log(JSON.stringify(report));
process.exit(failures.length ? 1 : 0);
