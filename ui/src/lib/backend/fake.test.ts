import { describe, expect, test } from "vitest";
import type { ChannelConfig } from "../bindings/ChannelConfig";
import type { Config } from "../bindings/Config";
import { toApiError } from "../fieldErrors";
import { FakeBackend, configKey, keepFileActions, languageOfLocale, recorded } from "./fake";
import { chooseBackend, insideTauri } from "./index";
import { RECORDING_DAYS, syntheticStorageUsage } from "./fakeStorage";

const START = 1_700_000_900_000;

/** A fake on a hand-moved clock, with no timer: ticks happen only when the test says. */
function fake(start = START) {
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
});

describe("configs the fake knows", () => {
  test("a config's key ignores key order and absent optional fields", () => {
    const c = recorded("default").config;
    const reordered = { ...c, rules: c.rules.map((r) => ({ for: null, ...r })), version: c.version };
    expect(configKey(reordered)).toBe(configKey(c));
    expect(configKey({ ...c, version: 2 }), "a changed value is another config").not.toBe(configKey(c));
  });

  test("the window cannot change where the password comes from or which CA is trusted", async () => {
    const { b } = fake();
    const c = recorded("default").config;
    for (const k of ["password_file", "ca_file"] as const) {
      const changed = { ...c, email: { ...c.email, [k]: "/home/me/.ssh/id_ed25519" } };
      const err = await b.setConfig(changed).then(() => null, (e) => toApiError(e));
      expect(err?.code, k).toBe("forbidden");
    }
  });

  test("validation answers are the recorded ones", async () => {
    const { b } = fake();
    expect(await b.validateConfig(recorded("default").config)).toEqual([]);
    const errors = await b.validateConfig(recorded("dev_rule_edits_email_to").config);
    expect(errors.map((e) => [e.path, e.code, e.params.value])).toEqual([
      [["email", "to", 1], "email.mailbox.invalid", "not an address"],
      [["rules", 2, "window"], "duration.invalid", "later"],
    ]);
  });

  test("a config nobody recorded is refused, not guessed", async () => {
    const { b } = fake();
    const config = recorded("default").config;
    config.rules[0].threshold = 81;
    for (const call of [b.validateConfig(config), b.setConfig(config)]) {
      const err = toApiError(await call.catch((e: unknown) => e));
      expect(err.code).toBe("internal");
      expect(err.message).toContain("fixtures/configs.json");
    }
    expect((await b.getConfig()).rules[0].threshold, "nothing was saved").toBe(80);
  });

  test("an invalid config is refused with its field errors and nothing is saved", async () => {
    const { b } = fake();
    const err = toApiError(await b.setConfig(recorded("rule1_window_not_a_duration").config).catch((e: unknown) => e));
    expect(err.code).toBe("invalid_config");
    expect(err.fields?.map((f) => f.code)).toEqual(["duration.invalid"]);
    expect((await b.getConfig()).rules[1].window, "the saved config is unchanged").toBe("5m");
  });
});

describe("recorded views", () => {
  test("ticks replay the recorded rule states at the fake's clock, to every listener", async () => {
    const { b, advance, at } = fake();
    const seen: number[] = [];
    const stop = await b.streamTicks((t) => seen.push(t.at));
    b.tick(advance(1000));
    b.tick(advance(1000));
    stop();
    b.tick(advance(1000));
    expect(seen, "two ticks while subscribed, at the fake's own times").toEqual([at() - 2000, at() - 1000]);
    const snap = await b.getSnapshot();
    expect(snap?.rules.map((r) => r.name)).toEqual([
      "CPU busy for an hour", "CPU saturated", "Memory almost full", "Root disk almost full",
    ]);
    const firing = snap?.rules.find((r) => r.phase.phase === "firing");
    expect(firing?.name, "the recorded run has an alert firing").toBe("Root disk almost full");
    const since = firing?.phase.phase === "firing" ? firing.phase.since : 0;
    expect(at() - since, "it fired minutes before this tick, as recorded").toBeGreaterThan(0);
    expect(at() - since).toBeLessThan(10 * 60_000);
  });

  test("saving a recorded valid config replays the run of its rules", async () => {
    const { b, advance } = fake();
    const saved = await b.setConfig(recorded("rule0_renamed").config);
    expect(saved.rules[0].name).toBe("CPU busy for ten minutes");
    const tick = b.tick(advance(1000));
    expect(tick.rules[0].name, "the rule states follow the saved rules").toBe("CPU busy for ten minutes");
  });

  test("recent readings and the alert log end at the fake's now, newest first", async () => {
    const { b, at } = fake();
    const cpu = (await b.getRecent()).find((s) => s.metric === "cpu.total");
    expect(cpu?.times.at(-1), "the last reading is now").toBe(at());
    expect(cpu?.times.length).toBe(cpu?.values.length);
    const week = await b.getAlerts(at() - 7 * 86_400_000, 100);
    const day = await b.getAlerts(at() - 86_400_000, 100);
    expect(day.length).toBeGreaterThan(0);
    expect(week.length).toBeGreaterThan(day.length);
    expect(week.every((a, i) => i === 0 || a.event.at <= week[i - 1].event.at)).toBe(true);
    expect((await b.getAlerts(null, 2)).length).toBe(2);
  });

  test("pause shows in the status and the rule states until it ends", async () => {
    const { b, at, advance } = fake();
    expect((await b.getStatus()).overall, "the recorded run fires a warning").toBe("warning");
    const paused = await b.pauseAlerts(at() + 60_000);
    expect([paused.overall, paused.paused_until]).toEqual(["paused", at() + 60_000]);
    expect(b.tick(advance(1000)).rules.every((r) => r.snoozed_until === at() + 59_000)).toBe(true);
    advance(60_000);
    expect((await b.getStatus()).paused_until, "the pause ended").toBeNull();
  });
});

describe("the fake's own state", () => {
  test("the SMTP password is write-only", async () => {
    const { b } = fake();
    expect((await b.getStatus()).smtp_password_set).toBe(false);
    await b.setSmtpPassword("s3cret");
    const status = await b.getStatus();
    expect(status.smtp_password_set).toBe(true);
    expect(JSON.stringify([status, await b.getConfig()]), "no response carries the password").not.toContain("s3cret");
    await b.clearSmtpPassword();
    expect((await b.getStatus()).smtp_password_set).toBe(false);
  });

  test("test buttons and autostart behave like the real commands", async () => {
    const { b } = fake();
    expect(await b.testNotification()).toContain("test notification");
    const refused = toApiError(await b.testEmail().catch((e: unknown) => e));
    expect(refused.code, "email is off in the default config").toBe("email");
    await b.setConfig(recorded("email_enabled").config);
    expect(await b.testEmail()).toContain("Sent a test email to me@example.com");
    expect(await b.setAutostart(true)).toBe(true);
    expect(await b.getAutostart()).toBe(true);
  });
});

describe("push channels (the fake's own state)", () => {
  const withChannels = (channels: ChannelConfig[]): Config => ({ ...recorded("default").config, channels });
  const phone: ChannelConfig = { name: "phone", kind: "ntfy", enabled: true, url: "https://ntfy.sh/my-topic" };
  const tg: ChannelConfig = { name: "tg", kind: "telegram", enabled: true, chat_id: "-1001234567890" };
  const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => toApiError(e));

  test("a recorded config with channels is saved, and rules may name them", async () => {
    const { b } = fake();
    const config = withChannels([phone, tg]);
    config.rules[0].channels = ["phone"];
    config.rules[1].channels = ["tg"];
    expect(await b.validateConfig(config)).toEqual([]);
    const saved = await b.setConfig(config);
    expect(saved.channels?.map((c) => c.name)).toEqual(["phone", "tg"]);
    expect(saved.rules.map((r) => r.channels ?? null)).toEqual([["phone"], ["tg"], null, null]);
    const status = await b.getStatus();
    expect(status.channels.map((c) => [c.channel, c.enabled])).toEqual([["desktop", true], ["email", false], ["phone", true], ["tg", true]]);
    const unrecorded = withChannels([phone]);
    unrecorded.rules[0].threshold = 81;
    expect((await refusal(b.setConfig(unrecorded)))?.code, "channels do not make an unknown config known").toBe("internal");
    const desktopToo = withChannels([phone]);
    desktopToo.rules[0].channels = ["desktop", "phone"];
    expect((await refusal(b.setConfig(desktopToo)))?.code, "without its declared channels, the rule names only desktop: never recorded").toBe("internal");
  });

  test("the window cannot set or change a channel's secret_file or ca_file", async () => {
    const { b } = fake();
    for (const k of ["secret_file", "ca_file"] as const) {
      const err = await refusal(b.setConfig(withChannels([{ ...phone, [k]: "/home/me/.ssh/id_ed25519" }])));
      expect([err?.code, err?.message.includes(k)], k).toEqual(["forbidden", true]);
    }
    expect((await b.getConfig()).channels, "nothing saved").toBeUndefined();
  });

  test("a secret is write-only, and only for a saved channel", async () => {
    const { b } = fake();
    await b.setConfig(withChannels([phone, tg]));
    expect(await b.getChannelSecrets()).toEqual([
      { channel: "phone", stored: false, from_file: false, problem: null },
      { channel: "tg", stored: false, from_file: false, problem: null },
    ]);
    await b.setChannelSecret("tg", " 123456789:AAHn3 ");
    expect((await b.getChannelSecrets()).map((s) => s.stored)).toEqual([false, true]);
    const everything = JSON.stringify([await b.getChannelSecrets(), await b.getConfig(), await b.getStatus()]);
    expect(everything, "no answer carries the secret").not.toContain("AAHn3");
    expect((await refusal(b.setChannelSecret("nope", "x")))?.code).toBe("bad_request");
    expect((await refusal(b.setChannelSecret("tg", "  ")))?.code, "an empty secret").toBe("keyring");
    await b.clearChannelSecret("tg");
    expect((await b.getChannelSecrets()).map((s) => s.stored)).toEqual([false, false]);
  });

  test("a channel reading its secret from a file: stored, and the window cannot set it", async () => {
    // As if the config file gave it a secret_file (the window cannot).
    const { b } = fake();
    const inner = b as unknown as { current: { config: Config } };
    inner.current.config.channels = [{ ...tg, secret_file: "/etc/lookout/tg.token" }];
    expect(await b.getChannelSecrets()).toEqual([{ channel: "tg", stored: true, from_file: true, problem: null }]);
    expect((await refusal(b.setChannelSecret("tg", "x")))?.code).toBe("forbidden");
    expect(await b.testChannel("tg")).toMatch(/^HTTP 200: /);
  });

  test("a test answers as the service would, or names what is missing", async () => {
    const { b } = fake();
    await b.setConfig(withChannels([
      phone, tg,
      { name: "team", kind: "discord", enabled: true },
      { name: "hook", kind: "webhook", enabled: true, url: "https://example.com/h" },
      { name: "signed", kind: "webhook", enabled: true, url: "https://example.com/h", sign: true },
      { name: "no-chat", kind: "telegram", enabled: true },
    ]));
    const answer = await b.testChannel("phone");
    expect(answer, "ntfy needs no token").toMatch(/^HTTP 200: \{.*"topic":"my-topic"/);
    const missing = async (name: string) => {
      const err = await refusal(b.testChannel(name));
      return [err?.code, err?.message];
    };
    expect(await missing("tg")).toEqual([
      "channel",
      "no secret is stored for channel 'tg' (the bot token); store it with `lookout secret set channel:tg` or give secret_file",
    ]);
    expect((await missing("team"))[1]).toContain("(the webhook URL)");
    expect((await missing("signed"))[1]).toContain("(the signing key)");
    expect((await missing("no-chat"))[1]).toContain("chat_id");
    expect(await b.testChannel("hook"), "an unsigned webhook uses no secret").toMatch(/^HTTP 200/);
    await b.setChannelSecret("tg", "123456789:AAHn3");
    expect(await b.testChannel("tg")).toContain('"chat":{"id":"-1001234567890"}');
    expect(await b.testChannel("tg"), "the answer never holds the token").not.toContain("AAHn3");
    expect(await missing("nope")).toEqual(["bad_request", "there is no channel 'nope' in the saved config; save it first"]);
  });

  test("an Alertmanager takes headers and an optional bearer token, and nothing of a webhook's", async () => {
    const { b } = fake();
    const am: ChannelConfig = { name: "am", kind: "alertmanager", enabled: true, url: "http://alertmanager:9093", headers: { "X-Scope-OrgID": "team" } };
    await b.setConfig(withChannels([
      am,
      { ...am, name: "no-url", url: null },
      { ...am, name: "formatted", format: "alertmanager" },
      { ...am, name: "signed", sign: true },
      { ...am, name: "chat", chat_id: "-100123" },
      { name: "ntfy-headers", kind: "ntfy", enabled: true, url: "https://ntfy.sh/t", headers: { "X-A": "1" } },
    ]));
    expect(await b.testChannel("am"), "no token needed").toMatch(/^HTTP 200/);
    await b.setChannelSecret("am", "s3cret-bearer");
    expect(await b.testChannel("am"), "the answer never holds the token").not.toContain("s3cret-bearer");
    const refused = async (name: string) => (await refusal(b.testChannel(name)))?.message;
    expect(await refused("no-url")).toBe('a alertmanager channel needs url = "https://..."');
    expect(await refused("formatted")).toBe("format does not apply to a alertmanager channel; remove it");
    expect(await refused("signed")).toBe("sign does not apply to a alertmanager channel; remove it");
    expect(await refused("chat")).toBe("chat_id does not apply to a alertmanager channel; remove it");
    expect(await refused("ntfy-headers"), "only a webhook and an Alertmanager take headers").toBe("headers does not apply to a ntfy channel; remove it");
  });

  test("a channel sent elsewhere loses its stored secret; other edits keep it", async () => {
    const { b } = fake();
    await b.setConfig(withChannels([phone, tg]));
    await b.setChannelSecret("phone", "tk_1");
    await b.setChannelSecret("tg", "123:abc");
    await b.setConfig(withChannels([{ ...phone, timeout: "20s" }, { ...tg, enabled: false }]));
    expect((await b.getChannelSecrets()).map((s) => s.stored), "same place").toEqual([true, true]);
    await b.setConfig(withChannels([{ ...phone, url: "https://evil.example.com/t" }, { ...tg, chat_id: "@elsewhere" }]));
    expect((await b.getChannelSecrets()).map((s) => s.stored), "moved").toEqual([false, false]);
  });
});

describe("the language the status names", () => {
  test("with auto, the browser's language stands in for the OS locale", async () => {
    expect(["ko-KR", "ko", "ko_KR.UTF-8", "en-US", "de-DE", "C", undefined].map(languageOfLocale)).toEqual([
      "ko", "ko", "ko", "en", "en", "en", "en",
    ]);
    expect((await new FakeBackend({ timer: false, locale: "ko-KR" }).getStatus()).language).toBe("ko");
    expect((await new FakeBackend({ timer: false, locale: "de-DE" }).getStatus()).language).toBe("en");
  });

  test("the recorded language configs are the default config with only the language set", () => {
    const base = recorded("default").config;
    expect(base.language ?? "auto", "the default follows the locale").toBe("auto");
    for (const lang of ["en", "ko"] as const)
      expect(configKey(recorded(`language-${lang}`).config), lang).toBe(configKey({ ...base, language: lang }));
  });

  test("a fixed language in the saved config wins over the locale", async () => {
    const b = new FakeBackend({ timer: false, locale: "ko-KR" });
    await b.setConfig(recorded("language-en").config);
    expect((await b.getStatus()).language).toBe("en");
    await b.setConfig(recorded("language-ko").config);
    expect((await b.getStatus()).language).toBe("ko");
    await b.setConfig(recorded("default").config);
    expect((await b.getStatus()).language, "back to auto").toBe("ko");
  });
});

describe("processes and app watches", () => {
  test("the process table lists about fifteen processes, busiest first, some of one program", async () => {
    const list = await fake().b.listProcesses();
    expect(list.length).toBeGreaterThanOrEqual(12);
    expect(list.every((p, i) => i === 0 || p.cpu_pct <= list[i - 1].cpu_pct), "busiest first").toBe(true);
    expect(list.filter((p) => p.name === "postgres").length, "several postgres").toBeGreaterThan(2);
    expect(list.filter((p) => p.exe === "/usr/lib/firefox-esr/firefox-esr").length, "several of one executable").toBeGreaterThan(2);
    expect(new Set(list.map((p) => p.pid)).size, "each pid once").toBe(list.length);
  });

  test("a recorded config with watches added is saved, and ticks carry the watches' figures", async () => {
    const { b, advance } = fake();
    const config = recorded("default").config;
    config.apps = [
      { name: "browser", match: { exe: "/usr/lib/firefox-esr/firefox-esr" }, include_children: true },
      { name: "nginx", match: { process: "nginx" }, include_children: true },
    ];
    expect(await b.validateConfig(config)).toEqual([]);
    const saved = await b.setConfig(config);
    expect(saved.apps?.map((a) => a.name)).toEqual(["browser", "nginx"]);
    expect((await b.getConfig()).apps, "kept").toEqual(config.apps);
    const v = b.tick(advance(1000)).values;
    expect(v["app.browser.running"]).toBe(3);
    expect(v["app.browser.cpu_pct"]).toBeGreaterThan(0);
    expect(v["app.browser.rss_bytes"]).toBeGreaterThan(1024 * 1024 * 1024);
    expect(v["app.browser.mem_pct"]).toBeGreaterThan(0);
    expect(v["app.nginx.running"], "a watch of nothing running counts none").toBe(0);
    expect("app.nginx.cpu_pct" in v, "and has no CPU reading rather than 0").toBe(false);
    expect("app.browser.threads" in v, "figures the fake cannot tell are absent").toBe(false);
  });

  test("watches do not make an unrecorded config known", async () => {
    const { b } = fake();
    const config = recorded("default").config;
    config.apps = [{ name: "pg", match: { process: "postgres" }, include_children: true }];
    config.rules[0].threshold = 81;
    expect(toApiError(await b.setConfig(config).catch((e: unknown) => e)).code).toBe("internal");
    expect((await b.getConfig()).apps, "nothing saved").toBeUndefined();
  });

  test("a save keeps the saved config's actions, whatever the window sent", async () => {
    const { b } = fake();
    const config = recorded("default").config;
    config.rules[3].actions = [{ on: ["firing"], run: ["/bin/rm", "-rf", "/"] }];
    const saved = await b.setConfig(config);
    expect(saved.rules[3].actions, "the window cannot add an action").toBeUndefined();
    const file = recorded("default").config;
    file.rules[0].actions = [{ on: ["firing"], run: ["/usr/bin/true"] }];
    const wanted = recorded("default").config;
    wanted.rules[0].actions = [{ on: ["resolved"], run: ["/usr/bin/false"] }];
    wanted.rules.push({ ...wanted.rules[0], name: "copy" });
    const kept = keepFileActions(wanted, file);
    expect(kept.rules[0].actions, "changed back").toEqual(file.rules[0].actions);
    expect(kept.rules[4].actions, "a rule the file does not have gets none").toBeUndefined();
  });

  test("the alert log carries culprits and action runs at the fake's times", async () => {
    const { b, at } = fake();
    const log = await b.getAlerts(null, 100);
    const ran = log.find((a) => a.actions.length > 0)!;
    expect(ran.event.metric.startsWith("disk."), "disk alerts ran an action").toBe(true);
    const run = ran.actions[0];
    expect(run.started, "moved with the event").toBe(ran.event.at);
    expect(run.finished - run.started).toBe(2400);
    expect(run.finished).toBeLessThanOrEqual(at() + 60_000);
    const named = log.find((a) => (a.event.culprits?.length ?? 0) > 0)!;
    expect(["cpu.total", "mem.used_pct"]).toContain(named.event.metric);
    expect(log.every((a) => Array.isArray(a.actions)), "every entry has its list of runs").toBe(true);
  });
});

describe("history and backtests (synthetic)", () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const rejection = async (p: Promise<unknown>) => toApiError(await p.then(() => null, (e: unknown) => e));

  test("a metric's history is around its recorded readings, from the tier the range needs", async () => {
    const { b, at } = fake();
    const hour = await b.getHistory("cpu.total", at() - HOUR, at(), 600);
    expect([hour.metric, hour.from, hour.to, hour.tier, hour.step_ms]).toEqual(["cpu.total", at() - HOUR, at(), "raw", 6000]);
    const recent = (await b.getRecent()).find((s) => s.metric === "cpu.total")!.values;
    const avgs = hour.points.map((p) => p.avg!);
    const mean = avgs.reduce((a, v) => a + v, 0) / avgs.length;
    expect(Math.abs(mean - recent.reduce((a, v) => a + v, 0) / recent.length)).toBeLessThan(15);
    expect((await b.getHistory("cpu.total", at() - DAY, at(), 600)).tier).toBe("minute");
    expect((await b.getHistory("cpu.total", at() - 7 * DAY, at(), 600)).tier).toBe("quarter_hour");
    const other = fake().b;
    expect(await other.getHistory("cpu.total", at() - DAY, at(), 600), "the same at the same clock").toEqual(
      await b.getHistory("cpu.total", at() - DAY, at(), 600),
    );
  });

  test("any metric of a form Lookout accepts has history; an empty range or a bad key is a bad request", async () => {
    const { b, at } = fake();
    const app = await b.getHistory("app.postgres.rss_bytes", at() - DAY, at(), 600);
    expect(app.points.filter((p) => p.avg === null).length, "one gap").toBe(1);
    expect(app.points.length).toBeGreaterThan(400);
    for (const call of [
      b.getHistory("cpu.total", at(), at(), 600),
      b.getHistory("cpu.total", at(), at() - HOUR, 600),
      b.getHistory("cpu.everything", at() - HOUR, at(), 600),
      b.backtestRule(recorded("default").config.rules[1], at(), at()),
    ]) {
      expect((await rejection(call)).code).toBe("bad_request");
    }
  });

  test("a backtest replays a rule over the same history the charts show", async () => {
    const { b, at } = fake();
    const rule = (await b.getConfig()).rules[1];
    expect([rule.name, rule.threshold, rule.clear_threshold]).toEqual(["CPU saturated", 90, 80]);
    const bt = await b.backtestRule(rule, at() - 7 * DAY, at());
    expect([bt.rule, bt.metric, bt.from, bt.to, bt.tier]).toEqual([rule.name, "cpu.total", at() - 7 * DAY, at(), "minute"]);
    expect(bt.firings).toBeGreaterThan(0);
    const week = await b.getHistory("cpu.total", at() - 7 * DAY, at(), 2000);
    for (const p of bt.periods) {
      const inside = week.points.filter((x) => x.avg !== null && x.t >= p.from - 15 * 60_000 && x.t < (p.to ?? at()));
      expect(Math.max(...inside.map((x) => x.max!)), "the history is past the threshold there").toBeGreaterThan(rule.threshold);
    }
    const higher = await b.backtestRule({ ...rule, threshold: 99, clear_threshold: 98 }, at() - 7 * DAY, at());
    expect(higher.firing_ms, "a higher threshold fires less").toBeLessThan(bt.firing_ms);
  });

  test("a rule the fake cannot read is refused, not guessed", async () => {
    const { b, at } = fake();
    const rule = recorded("default").config.rules[1];
    for (const bad of [{ ...rule, window: "later" }, { ...rule, metric: "cpu.everything" }]) {
      const err = await rejection(b.backtestRule(bad, at() - HOUR, at()));
      expect(err.code).toBe("internal");
      expect(err.message).toContain("demo backend");
    }
  });
});

describe("disk use (synthetic)", () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;

  test("the default config: history since the pretend recording began, the same answer at the same clock", async () => {
    const { b, at, advance } = fake();
    const usage = await b.getStorageUsage();
    expect(usage.history_since, "730 days of 15-minute rollups reach back past the recording").toBe(at() - RECORDING_DAYS * DAY);
    expect(usage.history_bytes).toBeGreaterThan(1024 * 1024);
    expect(usage.database_bytes).toBeGreaterThan(usage.history_bytes);
    expect(await fake().b.getStorageUsage(), "deterministic").toEqual(usage);
    advance(DAY);
    const later = await b.getStorageUsage();
    expect(later.history_since, "the oldest reading stays where it was").toBe(usage.history_since);
    expect(later.history_bytes, "a day more of rollups").toBeGreaterThan(usage.history_bytes);
  });

  test("what [storage] keeps decides the size and the reach; with history off nothing is recorded", () => {
    const now = 1_700_000_000_000;
    const storage = recorded("default").config.storage;
    const facts = { storage, metrics: 16, intervalMs: 1000, recordingSince: now - 40 * DAY, logEntries: 7, now };
    const usage = syntheticStorageUsage(facts);
    const shorterRaw = syntheticStorageUsage({ ...facts, storage: { ...storage, raw_hours: 24 } });
    expect(shorterRaw.history_bytes).toBeLessThan(usage.history_bytes);
    expect(syntheticStorageUsage({ ...facts, intervalMs: 2000 }).history_bytes, "half the raw readings").toBeLessThan(usage.history_bytes);
    const short = syntheticStorageUsage({ ...facts, storage: { ...storage, minute_days: 7, quarter_hour_days: 10 } });
    expect(short.history_since, "the longest-kept tier reaches back 10 days").toBe(now - 10 * DAY);
    const off = syntheticStorageUsage({ ...facts, storage: { ...storage, history: false } });
    expect(off).toEqual({ database_bytes: usage.database_bytes - usage.history_bytes, history_bytes: 0, history_since: null });
    expect(syntheticStorageUsage({ ...facts, recordingSince: now }).history_since, "nothing recorded yet").toBeNull();
  });
});
