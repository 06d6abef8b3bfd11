import { describe, expect, test } from "vitest";
import { recorded } from "./backend/fake";
import type { ActionConfig } from "./bindings/ActionConfig";
import type { Config } from "./bindings/Config";
import { countToWire, freeName, localErrors, ruleToWire, toWire, withApp, withLanguage } from "./draft.svelte";
import { COUNT_INVALID, fieldErrorText } from "./errorText";
import { setLanguage } from "./i18n.svelte";

const defaultConfig = () => recorded("default").config;

describe("the config draft sent to the backend", () => {
  test("blank optional fields become absent, the typed draft is untouched", () => {
    const draft = defaultConfig();
    draft.rules[0].for = "  ";
    draft.rules[0].channels = [];
    draft.email.username = "";
    draft.email.to = ["me@example.com", "", " you@example.com "];
    const wire = toWire(draft);
    expect(wire.rules[0].for).toBeNull();
    expect(wire.rules[0].channels, "no channel ticked means every enabled channel").toBeNull();
    expect(wire.email.username).toBeNull();
    expect(wire.email.to).toEqual(["me@example.com", "you@example.com"]);
    expect(draft.rules[0].for, "the form keeps what was typed").toBe("  ");
  });

  test("one rule alone goes as in the whole config (the editor's preview sends it)", () => {
    const draft = defaultConfig();
    const r = draft.rules[0];
    r.keep_firing_for = "";
    r.repeat_every = " ";
    r.channels = [];
    (r as { min_coverage: number | null }).min_coverage = Number.NaN;
    const wire = ruleToWire(r);
    expect(wire).toEqual(toWire(draft).rules[0]);
    expect(wire.keep_firing_for).toBeNull();
    expect(wire.repeat_every).toBeNull();
    expect(wire.channels).toBeNull();
    expect(wire.min_coverage).toBeNull();
    expect(wire).not.toBe(r);
    expect(r.repeat_every, "the form keeps what was typed").toBe(" ");
  });

  test("a rule's only_when goes as typed, and blank as none", () => {
    const draft = defaultConfig();
    const r = draft.rules[0];
    expect(r.only_when, "the recorded rules have none").toBeUndefined();
    expect(ruleToWire(r).only_when, "none is sent as null").toBeNull();
    for (const blank of ["", "   ", null]) expect(ruleToWire({ ...r, only_when: blank }).only_when, `'${blank}'`).toBeNull();
    expect(ruleToWire({ ...r, only_when: "battery.BAT0.charging < 1" }).only_when).toBe("battery.BAT0.charging < 1");
    expect(ruleToWire({ ...r, only_when: "not a condition" }).only_when, "Lookout judges the text, not the form").toBe("not a condition");
    r.only_when = " ";
    expect(toWire(draft).rules[0].only_when).toBeNull();
    expect(r.only_when, "the form keeps what was typed").toBe(" ");
    expect(localErrors(draft), "nothing the form refuses by itself").toEqual([]);
  });

  test("an emptied threshold is caught before any call", () => {
    const draft = defaultConfig();
    (draft.rules[1] as { threshold: number | null }).threshold = null;
    expect(localErrors(draft)).toEqual([
      { path: ["rules", 1, "threshold"], code: "rule.threshold.missing", params: {}, message: "a threshold is needed, like 80" },
    ]);
  });

  test("a reminder cap goes as a whole number, blank as none", () => {
    expect([null, undefined, ""].map(countToWire), "blank").toEqual([null, null, null]);
    expect([0, 1, 3, 4_294_967_295].map(countToWire)).toEqual([0, 1, 3, 4_294_967_295]);
    for (const bad of [2.5, -1, Number.NaN, Infinity, 4_294_967_296, "3"]) expect(countToWire(bad), String(bad)).toBeUndefined();
    const draft = defaultConfig();
    const r = draft.rules[0];
    r.repeat_every = "1h";
    expect(ruleToWire({ ...r, repeat_max: 3 }).repeat_max).toBe(3);
    expect(ruleToWire({ ...r, repeat_max: 0 }).repeat_max, "0 is a cap, not a blank").toBe(0);
    expect(ruleToWire({ ...r, repeat_max: null }).repeat_max).toBeNull();
    expect(ruleToWire({ ...r, repeat_max: undefined }).repeat_max).toBeNull();
    r.repeat_max = 3;
    expect(toWire(draft).rules[0].repeat_max).toBe(3);
  });

  test("a cap without reminders is kept as typed but not sent", () => {
    const draft = defaultConfig();
    const r = draft.rules[0];
    r.repeat_every = " ";
    r.repeat_max = 3;
    expect(ruleToWire(r).repeat_max, "its field is disabled: nothing to refuse").toBeNull();
    expect(r.repeat_max, "the form keeps what was typed").toBe(3);
    r.repeat_max = 2.5;
    expect(localErrors(draft), "not applicable, so not a problem either").toEqual([]);
    r.repeat_every = "1h";
    expect(localErrors(draft).map((e) => [e.path, e.code])).toEqual([[["rules", 0, "repeat_max"], COUNT_INVALID]]);
  });

  test("a cap that is no whole number from 0 up is caught before any call, in words", () => {
    for (const bad of [2.5, -1, Number.NaN, 4_294_967_296]) {
      const draft = defaultConfig();
      draft.rules[2].repeat_every = "1h";
      draft.rules[2].repeat_max = bad;
      const errors = localErrors(draft);
      expect(errors.map((e) => [e.path, e.code]), String(bad)).toEqual([[["rules", 2, "repeat_max"], COUNT_INVALID]]);
      expect(fieldErrorText(errors[0])).toBe("write a whole number from 0 to 4294967295, like 3, or leave it empty for no cap");
      expect(draft.rules[2].repeat_max, "the form keeps what was typed").toBe(bad);
    }
    const ok = defaultConfig();
    ok.rules[2].repeat_every = "1h";
    for (const good of [0, 3, null]) {
      ok.rules[2].repeat_max = good;
      expect(localErrors(ok), String(good)).toEqual([]);
    }
  });

  test("auto is written as no language at all", () => {
    const config = defaultConfig();
    expect(withLanguage(config, "ko").language).toBe("ko");
    expect("language" in withLanguage({ ...config, language: "ko" }, "auto")).toBe(false);
    expect(config.language, "the config given is not changed").toBeUndefined();
  });

  test("new rule names never collide", () => {
    const rules = defaultConfig().rules;
    expect(freeName("New rule", rules)).toBe("New rule");
    rules[0].name = "New rule";
    rules[1].name = "New rule 2";
    expect(freeName("New rule", rules)).toBe("New rule 3");
  });
});

// Against the fake backend, whose answers were recorded from the real validator: these edits
// are the drafts rule0_renamed_window_whenever, rule0_renamed and rule1_window_not_a_duration.
describe("saving the draft", () => {
  test("a refused save keeps every typed value and maps the errors; a good save clears them", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const draft = new ConfigDraft(new FakeBackend({ timer: false }));
    await draft.load();
    draft.draft!.rules[0].name = "CPU busy for ten minutes";
    draft.draft!.rules[0].window = "whenever";
    expect(await draft.save(), "refused").toBe(false);
    expect(draft.saveState).toEqual({ kind: "invalid", problems: 1 });
    expect(draft.errors.map((e) => [e.path, e.code])).toEqual([[["rules", 0, "window"], "duration.invalid"]]);
    expect(draft.draft!.rules[0].window, "nothing typed is lost").toBe("whenever");
    expect(draft.draft!.rules[0].name).toBe("CPU busy for ten minutes");
    expect(draft.dirty).toBe(true);
    draft.draft!.rules[0].window = "10m";
    expect(await draft.save(), "accepted").toBe(true);
    expect(draft.errors).toEqual([]);
    expect(draft.saveState.kind).toBe("saved");
    expect(draft.dirty, "saved means clean").toBe(false);
    expect(draft.saved?.rules[0].name).toBe("CPU busy for ten minutes");
  });

  test("a cleared only_when leaves the draft as saved, not changed", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const draft = new ConfigDraft(new FakeBackend({ timer: false }));
    await draft.load();
    draft.draft!.rules[0].only_when = "power.ac < 1";
    expect(draft.dirty).toBe(true);
    draft.draft!.rules[0].only_when = "";
    expect(draft.dirty, "empty is the same as absent").toBe(false);
  });

  test("deleting a rule keeps the remaining errors on the right rules", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const draft = new ConfigDraft(new FakeBackend({ timer: false }));
    await draft.load();
    draft.draft!.rules[1].window = "five minutes";
    await draft.save();
    const key = draft.ruleKeys[1];
    draft.removeRule(0);
    expect(draft.errors.map((e) => e.path), "rules[1] is now rules[0]").toEqual([["rules", 0, "window"]]);
    expect(draft.ruleKeys[0], "its form keeps its identity").toBe(key);
  });

  test("an empty threshold is refused without asking the backend", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const draft = new ConfigDraft(new FakeBackend({ timer: false }));
    await draft.load();
    (draft.draft!.rules[0] as { threshold: number | null }).threshold = null;
    expect(await draft.save()).toBe(false);
    expect(draft.saveState).toEqual({ kind: "invalid", problems: 1 });
    expect(draft.errors.map((e) => e.code)).toEqual(["rule.threshold.missing"]);
  });

  test("a reminder cap that is no whole number is refused without asking the backend", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const backend = new FakeBackend({ timer: false });
    const asked: Config[] = [];
    backend.setConfig = async (c: Config) => {
      asked.push(c);
      return c;
    };
    const draft = new ConfigDraft(backend);
    await draft.load();
    draft.draft!.rules[0].repeat_every = "1h";
    draft.draft!.rules[0].repeat_max = -1;
    expect(await draft.save()).toBe(false);
    expect(asked, "nothing was sent").toEqual([]);
    expect(draft.saveState).toEqual({ kind: "invalid", problems: 1 });
    expect(draft.errors.map((e) => [e.path, e.code])).toEqual([[["rules", 0, "repeat_max"], COUNT_INVALID]]);
    setLanguage("ko");
    try {
      expect(fieldErrorText(draft.errors[0])).toMatch(/^0부터 4294967295까지의 정수를 쓰십시오/);
    } finally {
      setLanguage("en");
    }
    expect(draft.draft!.rules[0].repeat_max, "nothing typed is lost").toBe(-1);
    draft.draft!.rules[0].repeat_max = 3;
    expect(draft.errors).toEqual([]);
    expect(await draft.save()).toBe(true);
    expect(asked[0].rules[0].repeat_max, "sent as typed").toBe(3);
  });
});

// The language is saved alone, at once: the drafts are the recorded language-ko and default.
describe("switching the language", () => {
  test("saves only the language; every other unsaved edit stays in the draft", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const backend = new FakeBackend({ timer: false });
    const draft = new ConfigDraft(backend);
    await draft.load();
    const name = draft.saved!.rules[0].name;
    draft.draft!.rules[0].name = "Edited, not saved";
    const saved = await draft.setLanguage("ko");
    expect(saved.language).toBe("ko");
    expect((await backend.getConfig()).language, "the backend stored it").toBe("ko");
    expect((await backend.getConfig()).rules[0].name, "and nothing else").toBe(name);
    expect(draft.draft!.language, "the draft speaks Korean too").toBe("ko");
    expect(draft.draft!.rules[0].name, "the edit is kept").toBe("Edited, not saved");
    expect(draft.dirty, "and still unsaved").toBe(true);
    draft.draft!.rules[0].name = name;
    expect(draft.dirty, "the rule edit was the only unsaved change").toBe(false);
    await draft.setLanguage("auto");
    expect(draft.saved!.language ?? "auto").toBe("auto");
    expect(draft.draft!.language ?? "auto").toBe("auto");
    expect(draft.dirty).toBe(false);
  });

  test("a refused change leaves the saved config and the draft as they were", async () => {
    const { FakeBackend, recorded } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const backend = new FakeBackend({ timer: false });
    await backend.setConfig(recorded("rule0_renamed").config);
    const draft = new ConfigDraft(backend);
    await draft.load();
    const err = await draft.setLanguage("ko").then(() => null, (e: { code: string }) => e);
    expect(err?.code, "the fake knows no Korean rule0_renamed").toBe("internal");
    expect(draft.saved!.language).toBeUndefined();
    expect(draft.draft!.language).toBeUndefined();
    expect(draft.dirty).toBe(false);
  });

  test("new rules are named in the window's language", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const draft = new ConfigDraft(new FakeBackend({ timer: false }));
    await draft.load();
    setLanguage("ko");
    try {
      const i = draft.addRule();
      expect(draft.draft!.rules[i].name).toBe("새 규칙");
      const j = draft.duplicateRule(i);
      expect(draft.draft!.rules[j].name).toBe("새 규칙 (사본)");
    } finally {
      setLanguage("en");
    }
  });
});

// A watch is saved alone, at once, like the language: the draft is the recorded default with
// a watch added (the fake keeps watches unchecked: none was recorded).
describe("adding an app watch", () => {
  const pg = { name: "pg", match: { process: "postgres" }, include_children: true };

  test("withApp adds the watch at the end and leaves the config given alone", () => {
    const config = defaultConfig();
    const one = withApp(config, pg);
    expect(one.apps).toEqual([pg]);
    expect(withApp(one, { ...pg, name: "pg2" }).apps?.map((a) => a.name)).toEqual(["pg", "pg2"]);
    expect(config.apps, "unchanged").toBeUndefined();
  });

  test("saves only the watch; every other unsaved edit stays in the draft", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const backend = new FakeBackend({ timer: false });
    const draft = new ConfigDraft(backend);
    await draft.load();
    const name = draft.saved!.rules[0].name;
    draft.draft!.rules[0].name = "Edited, not saved";
    await draft.addApp(pg);
    expect((await backend.getConfig()).apps, "the backend stored the watch").toEqual([pg]);
    expect((await backend.getConfig()).rules[0].name, "and nothing else").toBe(name);
    expect(draft.saved!.apps).toEqual([pg]);
    expect(draft.draft!.apps, "the draft has the watch too").toEqual([pg]);
    expect(draft.draft!.rules[0].name, "the edit is kept").toBe("Edited, not saved");
    draft.draft!.rules[0].name = name;
    expect(draft.dirty, "the rule edit was the only unsaved change").toBe(false);
  });

  test("a refused watch leaves the saved config and the draft as they were", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const refusing = new (class extends FakeBackend {
      async setConfig(): Promise<Config> {
        throw {
          code: "invalid_config", message: "the config has 1 problem",
          fields: [{ path: ["apps", 0, "match", "cmdline"], code: "app.match.regex_invalid", params: { value: "(", reason: "unclosed group" }, message: "'(' is not a valid regular expression" }],
        };
      }
    })({ timer: false });
    const draft = new ConfigDraft(refusing);
    await draft.load();
    const err = await draft.addApp({ ...pg, match: { cmdline: "(" } }).then(() => null, (e: { code: string; fields?: { code: string }[] }) => e);
    expect(err?.code).toBe("invalid_config");
    expect(err?.fields?.map((f) => f.code)).toEqual(["app.match.regex_invalid"]);
    expect(draft.saved!.apps).toBeUndefined();
    expect(draft.draft!.apps).toBeUndefined();
    expect(draft.dirty).toBe(false);
  });
});

describe("rule actions, which only the config file sets", () => {
  const ACTIONS: ActionConfig[] = [{ on: ["firing"], run: ["/usr/local/bin/clean-build-cache", "--older-than", "7d"], max_runs: 3, within: "1h" }];

  test("saving an edited rule sends every rule's actions exactly as loaded; a copy gets none", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const sent: Config[] = [];
    const file = new (class extends FakeBackend {
      async getConfig(): Promise<Config> {
        const c = await super.getConfig();
        c.rules[3].actions = JSON.parse(JSON.stringify(ACTIONS)) as ActionConfig[];
        return c;
      }
      async setConfig(config: Config): Promise<Config> {
        sent.push(JSON.parse(JSON.stringify(config)) as Config);
        return super.setConfig(config);
      }
    })({ timer: false });
    const draft = new ConfigDraft(file);
    await draft.load();
    draft.draft!.rules[0].name = "CPU busy for ten minutes";
    draft.draft!.rules[0].window = "10m"; // the recorded rule0_renamed
    expect(await draft.save()).toBe(true);
    expect(sent[0].rules[3].actions, "kept as loaded").toEqual(ACTIONS);
    expect(sent[0].rules.slice(0, 3).every((r) => r.actions === undefined), "none added").toBe(true);
    expect(toWire(draft.draft!).rules.length).toBe(4);
    await draft.load();
    const copy = draft.duplicateRule(3);
    expect(draft.draft!.rules[3].actions).toEqual(ACTIONS);
    expect(draft.draft!.rules[copy].actions, "Lookout would not keep them for another name").toBeUndefined();
  });
});

describe("push channels in the draft", () => {
  test("added with a free name, removed with their errors, renamed in the rules naming them", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const draft = new ConfigDraft(new FakeBackend({ timer: false }));
    await draft.load();
    expect(draft.channelKeys).toEqual([]);
    expect([draft.addChannel("ntfy"), draft.addChannel("ntfy"), draft.addChannel("telegram")]).toEqual([0, 1, 2]);
    expect(draft.draft!.channels!.map((c) => c.name)).toEqual(["ntfy", "ntfy-2", "telegram"]);
    expect(new Set(draft.channelKeys).size, "each its own key").toBe(3);
    expect(draft.dirty).toBe(true);
    draft.serverErrors = [
      { path: ["channels", 0, "url"], code: "channel.url.missing", params: { kind: "ntfy" }, message: "" },
      { path: ["channels", 2, "chat_id"], code: "channel.chat_id.missing", params: {}, message: "" },
    ];
    const key = draft.channelKeys[2];
    draft.removeChannel(0);
    expect(draft.errors.map((e) => e.path), "channels[2] is now channels[1]").toEqual([["channels", 1, "chat_id"]]);
    expect(draft.channelKeys[1], "its form keeps its identity").toBe(key);
    draft.draft!.rules[0].channels = ["desktop", "telegram"];
    draft.renameChannel("telegram", "tg");
    expect(draft.draft!.rules[0].channels).toEqual(["desktop", "tg"]);
    draft.renameChannel("tg", "");
    expect(draft.draft!.rules[0].channels, "a name being typed again is no rename").toEqual(["desktop", "tg"]);
    draft.revert();
    expect([draft.draft!.channels, draft.channelKeys]).toEqual([undefined, []]);
  });

  test("a typed secret is stored after the config, under the saved name, and its field emptied", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const { ChannelSecrets } = await import("./channelSecrets.svelte");
    const backend = new FakeBackend({ timer: false });
    const draft = new ConfigDraft(backend);
    const secrets = new ChannelSecrets(backend);
    await draft.load();
    const i = draft.addChannel("telegram");
    const key = draft.channelKeys[i];
    draft.draft!.channels![i].name = "tg";
    draft.draft!.channels![i].chat_id = "-1001234567890";
    secrets.typed[key] = "123456789:AAHn3";
    const typed = secrets.pending(draft.draft!.channels!, draft.channelKeys);
    expect(await draft.save()).toBe(true);
    await secrets.store(typed);
    expect(secrets.typed[key], "emptied").toBeUndefined();
    expect(secrets.outcomes[key]).toEqual({ ok: true, id: "ui-channels-secret-saved" });
    expect(secrets.states).toEqual([{ channel: "tg", stored: true, from_file: false, problem: null }]);
    expect(await backend.testChannel("tg")).toMatch(/^HTTP 200/);
    await secrets.clear(key, "tg");
    expect(secrets.states?.[0].stored).toBe(false);
    await secrets.store([{ key, name: "nope", secret: "x" }]);
    expect(secrets.outcomes[key]).toMatchObject({ ok: false, id: "ui-channels-secret-store-failed", error: { code: "bad_request" } });
  });
});
