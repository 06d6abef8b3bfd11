// End to end: push channels in the Notifications view, in headless Chromium against the fake
// backend under the strict CSP. No channel was recorded: the fake keeps the channels a saved
// config declares (the rest of the config is the recorded default), remembers which secrets
// were stored, and answers a test as Lookout's sender would for what the saved channel has
// (src/lib/backend/fakeChannels.ts): ntfy's "HTTP 200" JSON, or the error naming what is
// missing, such as a telegram channel's bot token.
import { describe, expect, test } from "vitest";
import { harnessForFile, SHOTS } from "./harness";

const T = 30_000;
const h = harnessForFile();

describe("push channels in the window", () => {
  test("push channels: an ntfy channel is added, saved, given its token and tested; a telegram one without its token says so", async () => {
    const page = await h.open("notifications");
    await page.getByTestId("channels").waitFor();
    expect(await page.getByTestId("channels-empty").count(), "the recorded config declares none").toBe(1);

    // ntfy: only its fields, with an example of the topic's address.
    await page.getByTestId("channel-kind").selectOption("ntfy");
    await page.getByTestId("add-channel").click();
    const editor = page.getByTestId("channel-editor");
    await editor.waitFor();
    expect(await page.getByTestId("channel-name").inputValue(), "named after its kind").toBe("ntfy");
    expect(await page.getByLabel("Server and topic", { exact: true }).getAttribute("data-testid")).toBe("channel-url");
    expect(await editor.textContent()).toContain("https://ntfy.sh/my-topic");
    expect(await page.getByLabel("Access token (optional)", { exact: true }).getAttribute("type"), "write-only").toBe("password");
    for (const other of ["channel-chat-id", "channel-format", "channel-headers", "channel-sign"])
      expect(await page.getByTestId(other).count(), `ntfy has no ${other}`).toBe(0);
    expect(await page.getByTestId("test-channel").isDisabled(), "nothing to test before it is saved").toBe(true);
    expect(await page.getByTestId("test-channel-unsaved").textContent()).toContain("Save the channel first");
    await page.getByTestId("channel-name").fill("phone");
    await page.getByTestId("channel-url").fill("https://ntfy.sh/my-topic");
    await page.getByTestId("save").click();
    await page.getByTestId("save-confirmation").waitFor();
    const sent = await page.evaluate(() => (window as unknown as { lookoutFake: { getConfig(): Promise<{ channels?: unknown[] }> } }).lookoutFake.getConfig());
    expect(sent.channels, "saved through the normal config save").toEqual([
      { name: "phone", kind: "ntfy", enabled: true, url: "https://ntfy.sh/my-topic", chat_id: null, format: null, secret_file: null, ca_file: null, timeout: null },
    ]);
    await expect.poll(() => page.getByTestId("channel-secret-state").textContent()).toContain("No secret stored");

    // Its token: stored after the config, never shown again.
    await page.getByTestId("channel-secret").fill("tk_s3cretT0ken");
    await page.getByTestId("save").click();
    await expect.poll(() => page.getByTestId("channel-secret-state").textContent()).toContain("Secret stored");
    expect(await page.getByTestId("channel-secret-outcome").textContent()).toContain("Stored in the system keyring.");
    expect(await page.getByTestId("channel-secret").inputValue(), "the field is emptied").toBe("");
    expect(await page.getByTestId("channel-row-secret").first().textContent()).toContain("Secret stored");
    expect(await page.content(), "the token appears nowhere in the page").not.toContain("tk_s3cretT0ken");

    // Test: the service's answer, inline, in a live region.
    await page.getByTestId("test-channel").click();
    const answer = page.getByTestId("test-channel-outcome");
    await expect.poll(() => answer.textContent()).toContain("HTTP 200: {");
    expect(await answer.textContent()).toContain('"topic":"my-topic"');
    expect(await page.locator('[aria-live="polite"]', { has: answer }).count(), "said to screen readers").toBe(1);

    // Telegram: its own fields; saved without its bot token, the test says exactly what is missing.
    await page.getByTestId("channel-kind").selectOption("telegram");
    await page.getByTestId("add-channel").click();
    await expect.poll(() => page.getByTestId("channel-name").inputValue()).toBe("telegram");
    expect(await page.getByLabel("Bot token", { exact: true }).count()).toBe(1);
    expect(await page.getByLabel("Chat ID", { exact: true }).count()).toBe(1);
    expect(await page.getByLabel("API server (optional)", { exact: true }).count()).toBe(1);
    expect(await page.getByTestId("test-channel-outcome").count(), "the other channel's outcome is not shown here").toBe(0);
    await page.getByTestId("channel-chat-id").fill("-1001234567890");
    await page.getByTestId("save").click();
    await page.getByTestId("save-confirmation").waitFor();
    await expect.poll(() => page.getByTestId("test-channel").isDisabled()).toBe(false);
    expect(await page.getByTestId("channel-secret-state").textContent()).toContain("nothing can be sent without it");
    await page.getByTestId("test-channel").click();
    const refused = page.getByTestId("test-channel-outcome");
    await expect
      .poll(() => refused.textContent())
      .toContain("no secret is stored for channel 'telegram' (the bot token); store it with `lookout secret set channel:telegram` or give secret_file");
    expect(await refused.getAttribute("class"), "shown as an error").toContain("error-text");
    expect(await page.getByTestId("channel-row").count()).toBe(2);

    // A webhook's secret is a signing key, and only when it signs.
    await page.getByTestId("channel-kind").selectOption("webhook");
    await page.getByTestId("add-channel").click();
    await page.getByTestId("channel-headers").waitFor();
    expect(await page.getByTestId("channel-secret").count(), "an unsigned webhook keeps no secret").toBe(0);
    await page.getByTestId("channel-sign").check();
    expect(await page.getByLabel("Signing key", { exact: true }).count()).toBe(1);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="channels"] :is(input, select, textarea)')]
        .filter((el) => (el as HTMLInputElement).labels?.length === 0 && !el.getAttribute("aria-label"))
        .map((el) => el.outerHTML),
    );
    expect(unlabelled, "every field has its label").toEqual([]);
    await page.getByTestId("remove-channel").click();
    expect(await page.getByTestId("channel-row").count()).toBe(2);

    // Rules can pick the declared channels.
    await page.getByTestId("nav-rules").click();
    await page.getByTestId("rule-channel-phone").waitFor();
    expect(await page.getByTestId("rule-channel-telegram").count()).toBe(1);
    expect(await page.getByTestId("rule-channel-desktop").count()).toBe(1);
    await page.getByTestId("nav-notifications").click();
    await page.getByTestId("channel-row").first().click();
    await page.screenshot({ path: `${SHOTS}/notifications-channels.png`, fullPage: true });
    await page.close();
  }, T);

  test("push channels: an alertmanager channel is added with its server and a header, and saved", async () => {
    const page = await h.open("notifications");
    await page.getByTestId("channels").waitFor();
    await page.getByTestId("channel-kind").selectOption("alertmanager");
    await page.getByTestId("add-channel").click();
    const editor = page.getByTestId("channel-editor");
    await editor.waitFor();
    expect(await page.getByTestId("channel-name").inputValue(), "named after its kind").toBe("alertmanager");
    expect(await page.getByTestId("channel-kind-name").textContent()).toBe("Alertmanager");

    // Its fields: the server, headers (behind a proxy), an optional bearer token; no format, signing or chat.
    expect(await page.getByLabel("Server", { exact: true }).getAttribute("data-testid")).toBe("channel-url");
    expect(await page.getByTestId("channel-url").getAttribute("placeholder")).toBe("http://alertmanager:9093");
    expect(await editor.textContent()).toContain("/api/v2/alerts");
    expect(await page.getByTestId("channel-about").textContent(), "what Lookout sends it").toContain("every 5 minutes while they fire");
    expect(await page.getByLabel("Bearer token (optional)", { exact: true }).getAttribute("type"), "write-only").toBe("password");
    await page.getByTestId("channel-headers").waitFor();
    for (const other of ["channel-chat-id", "channel-format", "channel-sign"])
      expect(await page.getByTestId(other).count(), `alertmanager has no ${other}`).toBe(0);

    await page.getByTestId("channel-url").fill("http://alertmanager:9093");
    await page.getByTestId("channel-headers").fill("X-Scope-OrgID: team");
    await page.getByTestId("save").click();
    await page.getByTestId("save-confirmation").waitFor();
    const sent = await page.evaluate(() => (window as unknown as { lookoutFake: { getConfig(): Promise<{ channels?: unknown[] }> } }).lookoutFake.getConfig());
    expect(sent.channels, "saved through the normal config save, with its header").toEqual([
      {
        name: "alertmanager", kind: "alertmanager", enabled: true, url: "http://alertmanager:9093", chat_id: null, format: null,
        secret_file: null, ca_file: null, timeout: null, headers: { "X-Scope-OrgID": "team" },
      },
    ]);
    // The token is optional: not stored is not "nothing can be sent".
    await expect.poll(() => page.getByTestId("channel-secret-state").textContent()).toContain("No secret stored");

    // Without a token, the test goes through.
    await expect.poll(() => page.getByTestId("test-channel").isDisabled()).toBe(false);
    await page.getByTestId("test-channel").click();
    await expect.poll(() => page.getByTestId("test-channel-outcome").textContent()).toContain("HTTP 200");
    expect(await page.getByTestId("test-channel-outcome").getAttribute("class")).not.toContain("error-text");
    await page.close();
  }, T);

  test("nothing logged an error or broke the CSP", () => {
    expect(h.problems, "console errors, page errors and CSP violations").toEqual([]);
  });
});
