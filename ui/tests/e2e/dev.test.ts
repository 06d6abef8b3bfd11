// The window on the Vite dev server, where Svelte's dev-mode checks run (prop ownership,
// unsafe state mutation, ...): using every view must log no warning and no error.
import { expect, test } from "vitest";
import { fileWithActions, harnessForFile } from "./harness";

const h = harnessForFile({ dev: true });

test("every view, edited, logs no Svelte warning or error in dev mode", async () => {
  const page = await h.newPage();
  await page.goto(`${h.url}#/overview`);
  await page.getByTestId("live-cpu").waitFor({ timeout: 30_000 });
  await page.getByTestId("pause-15m").click();
  await page.getByTestId("resume").click();
  await page.getByTestId("nav-alerts").click();
  await page.getByTestId("alert-row").first().waitFor();
  await page.getByTestId("range-7d").check();
  await page.getByTestId("filter-severity").selectOption("critical");
  await page.getByTestId("filter-rule").selectOption({ index: 1 });
  await page.getByTestId("filter-state").selectOption("gave_up"); // no entry gave up: none match
  await page.getByTestId("filter-none-reset").click();
  await page.getByTestId("filter-state").selectOption("resolved");
  await page.getByTestId("filter-reset").click();
  await page.getByTestId("nav-rules").click();
  await page.getByTestId("rule-row").nth(2).click();
  await page.getByTestId("rule-window").fill("later");
  await page.getByTestId("rule-channel-desktop").check();
  await page.getByTestId("add-rule").click();
  await page.getByTestId("duplicate-rule").click();
  await page.getByTestId("delete-rule").click();
  await page.getByTestId("save").click(); // the recorded draft dev_rule_edits
  await page.getByTestId("save-error").waitFor();
  expect(await page.getByTestId("save-error").textContent(), "refused for its field error").toContain("the config has 1 problem.");
  await page.getByTestId("nav-notifications").click();
  await page.getByTestId("email-enabled").check();
  await page.getByTestId("email-to").fill("me@example.com\nnot an address");
  await page.getByTestId("error-email-to-1").waitFor(); // dev_rule_edits_email_to
  expect(await page.getByTestId("error-email-to-1").getAttribute("data-code")).toBe("email.mailbox.invalid");
  await page.getByTestId("test-notification").click();
  await page.getByTestId("test-notification-outcome").waitFor();
  await page.getByTestId("nav-settings").click();
  await page.getByTestId("storage-usage-bytes").waitFor();
  await page.getByTestId("theme-dark").check();
  await page.getByTestId("theme-system").check();
  await page.getByTestId("storage-minute-days").fill("a month");
  await page.getByTestId("storage-minute-days-local").waitFor();
  await page.getByTestId("storage-minute-days").fill("30");
  await page.getByTestId("language-select").selectOption("ko"); // language-ko: only the language is saved
  await expect.poll(() => page.getByTestId("nav-overview").textContent()).toBe("개요");
  await page.getByTestId("nav-notifications").click();
  expect(await page.getByTestId("email-to").inputValue(), "unsaved edits survive the switch").toBe("me@example.com\nnot an address");
  expect(await page.getByTestId("error-email-to-1").textContent(), "the field error, now in Korean").toContain("이메일 주소가 아닙니다");
  expect(h.problems, "dev-mode warnings and errors").toEqual([]);
  await page.close();
}, 60_000);

test("adding a watch, the alert details and a rule's actions log no Svelte warning in dev mode", async () => {
  const before = h.problems.length;
  const page = await h.newPage();
  await fileWithActions(page);
  await page.goto(`${h.url}#/overview`);
  await page.getByTestId("live-cpu").waitFor({ timeout: 30_000 });
  await page.getByTestId("add-watch").click();
  await page.getByTestId("watch-cancel").click();
  await page.getByTestId("add-watch").click();
  await page.getByTestId("process-group").first().waitFor();
  await page.getByTestId("watch-search").fill("code");
  await page.getByTestId("process-group").first().click();
  await page.getByTestId("watch-refresh").click();
  await page.getByTestId("watch-source-pattern").check();
  await page.getByTestId("watch-criterion").selectOption("cmdline");
  await page.getByTestId("watch-value").fill("--unity-launch");
  await page.getByTestId("watch-children").uncheck();
  await page.getByTestId("watch-save").click();
  const card = page.locator('[data-testid="watch-card"][data-watch="code"]');
  await expect.poll(() => card.getByTestId("watch-running").textContent(), { timeout: 10_000 }).toBe("1 running");
  await page.getByTestId("nav-alerts").click();
  await page.getByTestId("range-7d").check();
  await page.getByTestId("action-run").first().locator("summary").click();
  await page.getByTestId("action-output").first().waitFor();
  await page.getByTestId("nav-rules").click();
  await page.getByTestId("rule-row").nth(3).click();
  await page.getByTestId("rule-action").waitFor();
  await page.getByTestId("duplicate-rule").click();
  expect(await page.getByTestId("rule-actions-none").count(), "the copy has no actions").toBe(1);
  expect(h.problems.slice(before), "dev-mode warnings and errors").toEqual([]);
  await page.close();
}, 60_000);

test("push channels, added, edited, saved with a token, tested and removed, log no Svelte warning in dev mode", async () => {
  const before = h.problems.length;
  const page = await h.newPage();
  await page.goto(`${h.url}#/notifications`);
  await page.getByTestId("channels").waitFor({ timeout: 30_000 });
  await page.getByTestId("channel-kind").selectOption("webhook");
  await page.getByTestId("add-channel").click();
  await page.getByTestId("channel-url").fill("https://example.com/hooks/lookout");
  await page.getByTestId("channel-format").selectOption("alertmanager");
  await page.getByTestId("channel-headers").fill("X-Team: ops\n");
  await page.getByTestId("channel-sign").check();
  await page.getByTestId("channel-secret").fill("signing-key");
  await page.getByTestId("channel-kind").selectOption("ntfy");
  await page.getByTestId("add-channel").click();
  await page.getByTestId("channel-url").fill("https://ntfy.sh/my-topic");
  await page.getByTestId("channel-name").fill("phone");
  await page.getByTestId("channel-timeout").click(); // leaves the name: a rename
  await page.getByTestId("channel-secret").fill("tk_token");
  await page.getByTestId("save").click();
  await page.getByTestId("save-confirmation").waitFor();
  await expect.poll(() => page.getByTestId("channel-secret-state").textContent()).toContain("Secret stored");
  await page.getByTestId("test-channel").click();
  await page.getByTestId("test-channel-outcome").waitFor();
  await page.getByTestId("clear-channel-secret").click();
  await page.getByTestId("channel-row").first().click();
  await page.getByTestId("remove-channel").click();
  await page.getByTestId("nav-rules").click();
  await page.getByTestId("rule-channel-phone").check();
  await page.getByTestId("revert").click();
  expect(h.problems.slice(before), "dev-mode warnings and errors").toEqual([]);
  await page.close();
}, 60_000);
