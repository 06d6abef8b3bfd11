import { describe, expect, test } from "vitest";
import { toApiError } from "../fieldErrors";
import { FakeBackend } from "./fake";
import * as chosen from "./index";
import { chooseBackend, insideTauri, startBackend } from "./index";

/** A fake on a hand-moved clock, with no timer: ticks happen only when the test says. */
function fake(start = 1_700_000_000_000) {
  let now = start;
  const b = new FakeBackend({ now: () => now, timer: false });
  return { b, advance: (ms: number) => (now += ms), at: () => now };
}

describe("backend selection", () => {
  test("Tauri only when its internals are present", async () => {
    expect(insideTauri({ __TAURI_INTERNALS__: {} })).toBe(true);
    expect(insideTauri({})).toBe(false);
    expect((await chooseBackend({})).kind, "a plain browser gets the fake").toBe("fake");
    expect((await chooseBackend({ __TAURI_INTERNALS__: {} })).kind).toBe("tauri");
  });

  test("startBackend sets the shared binding every component imports", async () => {
    const b = await startBackend({});
    expect(chosen.backend, "the live binding is the started backend").toBe(b);
    expect(b.kind).toBe("fake");
  });
});

describe("the fake backend", () => {
  test("starts with ten minutes of history for every metric", async () => {
    const { b } = fake();
    const recent = await b.getRecent();
    const cpu = recent.find((s) => s.metric === "cpu.total");
    expect(cpu?.times.length, "one sample a second for 10 minutes").toBeGreaterThanOrEqual(599);
    expect(cpu?.times.length).toBe(cpu?.values.length);
    expect(recent.some((s) => s.metric.startsWith("cpu.core."))).toBe(true);
  });

  test("streams ticks with readings and rule states", async () => {
    const { b, advance, at } = fake();
    const seen: number[] = [];
    const stop = await b.streamTicks((t) => seen.push(t.values["cpu.total"]));
    advance(1000);
    b.tick(at());
    advance(1000);
    b.tick(at());
    stop();
    b.tick(advance(1000));
    expect(seen.length, "two ticks while subscribed, none after").toBe(2);
    expect(seen.every((v) => v >= 0 && v <= 100), "CPU stays a percentage").toBe(true);
    const snap = await b.getSnapshot();
    expect(snap?.rules.map((r) => r.name)).toContain("Home disk filling up");
  });

  test("an invalid config is refused with field paths and nothing is saved", async () => {
    const { b } = fake();
    const config = await b.getConfig();
    config.rules[2].window = "five minutes";
    config.email.enabled = true;
    config.email.to = ["not-an-address"];
    const err = toApiError(await b.setConfig(config).catch((e: unknown) => e));
    expect(err.code).toBe("invalid_config");
    expect(err.fields?.map((f) => f.path)).toEqual([
      ["email", "to", 0],
      ["rules", 2, "window"],
    ]);
    expect((await b.getConfig()).rules[2].window, "the saved config is unchanged").toBe("5m");
    expect(await b.validateConfig(config), "validate reports the same problems").toEqual(err.fields);
  });

  test("a valid config is saved and used by the rules", async () => {
    const { b, advance, at } = fake();
    const config = await b.getConfig();
    config.rules = [{ ...config.rules[0], name: "Always", aggregate: "avg", window: "2s", op: ">=", threshold: 0 }];
    expect(await b.validateConfig(config)).toEqual([]);
    const saved = await b.setConfig(config);
    expect(saved.rules[0].name).toBe("Always");
    b.tick(at());
    advance(1000);
    b.tick(at());
    const snap = await b.getSnapshot();
    expect(snap?.rules[0].phase.phase, "threshold 0 fires at once").toBe("firing");
    const log = await b.getAlerts(at() - 5000, 10);
    expect(log.map((a) => a.event.state), "newest id first: firing after pending").toEqual(["firing", "pending"]);
  });

  test("the alert log filters by time and limit, newest first", async () => {
    const { b, at } = fake();
    const week = await b.getAlerts(at() - 7 * 86_400_000, 100);
    const hour = await b.getAlerts(at() - 3_600_000, 100);
    expect(week.length).toBeGreaterThan(hour.length);
    expect(week.every((a, i) => i === 0 || a.event.at <= week[i - 1].event.at)).toBe(true);
    expect((await b.getAlerts(null, 2)).length).toBe(2);
  });

  test("the SMTP password is write-only", async () => {
    const { b } = fake();
    expect((await b.getStatus()).smtp_password_set).toBe(false);
    await b.setSmtpPassword("s3cret");
    const status = await b.getStatus();
    expect(status.smtp_password_set).toBe(true);
    const everything = JSON.stringify([status, await b.getConfig()], (_k, v) =>
      typeof v === "bigint" ? Number(v) : v,
    );
    expect(everything, "no response carries the password").not.toContain("s3cret");
    await b.clearSmtpPassword();
    expect((await b.getStatus()).smtp_password_set).toBe(false);
  });

  test("pause, tests and autostart behave like the real commands", async () => {
    const { b, at } = fake();
    const paused = await b.pauseAlerts(at() + 60_000);
    expect(paused.paused_until).toBe(at() + 60_000);
    expect((await b.pauseAlerts(null)).paused_until).toBeNull();
    expect(await b.testNotification()).toContain("test notification");
    const refused = toApiError(await b.testEmail().catch((e: unknown) => e));
    expect(refused.code, "email is off in the starting config").toBe("email");
    expect(await b.setAutostart(true)).toBe(true);
    expect(await b.getAutostart()).toBe(true);
  });
});
