import { afterEach, describe, expect, test } from "vitest";
import { recorded } from "./backend/fake";
import type { ChannelConfig } from "./bindings/ChannelConfig";
import type { ChannelKind } from "./bindings/ChannelKind";
import { pendingSecrets } from "./channelSecrets.svelte";
import {
  CHANNEL_KINDS,
  channelHealthState,
  channelNames,
  channelToWire,
  channelsToWire,
  freeChannelName,
  headersFromText,
  headersToText,
  kindAboutId,
  kindFields,
  kindName,
  newChannel,
  renameInRules,
  ruleChannelChoices,
  savedAsShown,
  secretIds,
  secretState,
  secretUse,
  urlIds,
} from "./channels";
import { toWire } from "./draft.svelte";
import { setLanguage, t } from "./i18n.svelte";

afterEach(() => setLanguage("en"));

const ntfy = (over: Partial<ChannelConfig> = {}): ChannelConfig => ({ name: "phone", kind: "ntfy", enabled: true, url: "https://ntfy.sh/my-topic", ...over });

describe("what each kind shows", () => {
  test("every kind is offered once, under its own brand name", () => {
    expect([...CHANNEL_KINDS].sort()).toEqual(["alertmanager", "apprise", "discord", "gotify", "ntfy", "slack", "telegram", "webhook"]);
    expect(CHANNEL_KINDS.map(kindName)).toEqual(["ntfy", "Telegram", "Discord", "Slack", "Gotify", "Webhook", "Alertmanager", "Apprise"]);
  });

  test("only the fields a kind uses", () => {
    const shown = (k: ChannelKind) => kindFields(k);
    expect(shown("webhook")).toEqual({ url: "required", chatId: false, headers: true, webhook: true });
    expect(shown("alertmanager"), "headers (behind a proxy), no format or signing").toEqual({ url: "required", chatId: false, headers: true, webhook: false });
    expect(shown("ntfy")).toEqual({ url: "required", chatId: false, headers: false, webhook: false });
    expect(shown("gotify")).toEqual({ url: "required", chatId: false, headers: false, webhook: false });
    expect(shown("telegram"), "the API base may stay empty; the chat is needed").toEqual({ url: "optional", chatId: true, headers: false, webhook: false });
    for (const k of ["discord", "slack", "apprise"] as const)
      expect(shown(k), `${k}: the URL is the secret, never in the config`).toEqual({ url: "none", chatId: false, headers: false, webhook: false });
    for (const k of ["discord", "slack", "apprise"] as const) expect(urlIds(k)).toBeNull();
  });

  test("the url's words say what it is, with an example", () => {
    expect(t(urlIds("ntfy")!.label)).toBe("Server and topic");
    expect(t(urlIds("ntfy")!.hint)).toContain("https://ntfy.sh/my-topic");
    expect(t(urlIds("telegram")!.label)).toBe("API server (optional)");
    expect(t(urlIds("telegram")!.hint)).toContain("https://api.telegram.org");
    expect(t(urlIds("alertmanager")!.label)).toBe("Server");
    expect(t(urlIds("alertmanager")!.hint)).toContain("http://alertmanager:9093");
    expect(t(urlIds("alertmanager")!.hint), "where the alerts go").toContain("/api/v2/alerts");
    setLanguage("ko");
    expect(t(urlIds("ntfy")!.label)).toBe("서버와 토픽");
    expect(t(urlIds("alertmanager")!.hint)).toContain("http://alertmanager:9093");
  });

  test("only Alertmanager says more about what it is sent", () => {
    const about = kindAboutId("alertmanager");
    expect(about).not.toBeNull();
    for (const words of ["v2 API", "alertname", "severity", "rule", "instance", "5 minutes", "resolution", "silences"])
      expect(t(about!), words).toContain(words);
    for (const k of CHANNEL_KINDS.filter((k) => k !== "alertmanager")) expect(kindAboutId(k), k).toBeNull();
    setLanguage("ko");
    expect(t(about!)).toContain("5분마다");
  });

  test("the secret's label depends on the kind (and on signing, for a webhook)", () => {
    const label = (k: ChannelKind, sign = false) => {
      const ids = secretIds(k, sign);
      return ids ? t(ids.label) : null;
    };
    expect(label("ntfy")).toBe("Access token (optional)");
    expect(label("gotify")).toBe("Application token");
    expect(label("telegram")).toBe("Bot token");
    expect(label("discord")).toBe("Webhook URL");
    expect(label("slack")).toBe("Webhook URL");
    expect(label("apprise")).toBe("Apprise URLs");
    expect(label("alertmanager")).toBe("Bearer token (optional)");
    expect(label("webhook"), "an unsigned webhook uses no secret").toBeNull();
    expect(label("webhook", true)).toBe("Signing key");
    setLanguage("ko");
    expect(label("telegram")).toBe("봇 토큰");
    expect(label("alertmanager")).toBe("Bearer 토큰 (선택)");
  });

  test("whether a kind needs its secret, may use one, or uses none", () => {
    expect(secretUse("ntfy")).toBe("optional");
    expect(secretUse("alertmanager"), "a bearer token only if it asks for one").toBe("optional");
    for (const k of ["telegram", "discord", "slack", "gotify", "apprise"] as const) expect(secretUse(k), k).toBe("required");
    expect(secretUse("webhook")).toBe("none");
    expect(secretUse("webhook", true)).toBe("required");
  });
});

describe("new channels", () => {
  test("are named after their kind, never like another channel or a built-in one", () => {
    expect(freeChannelName("ntfy", [])).toBe("ntfy");
    expect(freeChannelName("ntfy", [ntfy({ name: "ntfy" }), ntfy({ name: "ntfy-2" })])).toBe("ntfy-3");
    expect(freeChannelName("telegram", [ntfy({ name: "ntfy" })])).toBe("telegram");
  });

  test("start on, with only the fields their kind uses", () => {
    expect(newChannel("ntfy", [])).toEqual({ name: "ntfy", kind: "ntfy", enabled: true, url: null });
    expect(newChannel("telegram", [])).toEqual({ name: "telegram", kind: "telegram", enabled: true, url: null, chat_id: null });
    expect(newChannel("webhook", [])).toEqual({ name: "webhook", kind: "webhook", enabled: true, url: null, format: null });
    expect(newChannel("discord", [])).toEqual({ name: "discord", kind: "discord", enabled: true });
    expect(newChannel("alertmanager", [])).toEqual({ name: "alertmanager", kind: "alertmanager", enabled: true, url: null });
  });
});

describe("headers as text", () => {
  test("one 'Name: value' per line, both ways", () => {
    const headers = { "X-Team": "ops", Authorization: "Bearer a:b" };
    expect(headersToText(headers)).toBe("X-Team: ops\nAuthorization: Bearer a:b");
    expect(headersFromText(headersToText(headers))).toEqual(headers);
    expect(headersToText(undefined)).toBe("");
  });

  test("blank lines are skipped; what Lookout would refuse is kept for it to say so", () => {
    expect(headersFromText("\n  X-A : 1 \n\n")).toEqual({ "X-A": "1" });
    expect(headersFromText("no colon"), "a name without a value").toEqual({ "no colon": "" });
    expect(headersFromText("X-A: 1\nX-A: 2"), "the later line wins").toEqual({ "X-A": "2" });
  });
});

describe("a channel as the backend expects it", () => {
  test("blank texts are absent and the fields its kind does not use are left out", () => {
    const wire = channelToWire({ ...ntfy({ url: "https://ntfy.sh/t", timeout: " " }), chat_id: "x", format: "alertmanager", headers: { A: "b" }, sign: true });
    expect(wire).toEqual({
      name: "phone", kind: "ntfy", enabled: true, url: "https://ntfy.sh/t", chat_id: null, format: null,
      secret_file: null, ca_file: null, timeout: null,
    });
    const discord = channelToWire({ name: "team", kind: "discord", enabled: false, url: "" });
    expect(discord.url, "a discord URL is the secret").toBeNull();
    const tg = channelToWire({ name: "tg", kind: "telegram", enabled: true, url: "", chat_id: "-100123" });
    expect([tg.url, tg.chat_id]).toEqual([null, "-100123"]);
  });

  test("a webhook keeps its format, headers and signing", () => {
    const hook: ChannelConfig = { name: "hook", kind: "webhook", enabled: true, url: "https://example.com/h", format: "alertmanager", headers: { "X-Team": "ops" }, sign: true };
    expect(channelToWire(hook)).toMatchObject({ format: "alertmanager", headers: { "X-Team": "ops" }, sign: true });
    const plain = channelToWire({ ...hook, format: null, headers: {}, sign: false });
    expect("headers" in plain || "sign" in plain, "none and off are absent").toBe(false);
  });

  test("an Alertmanager keeps its headers, never a format or signing", () => {
    const am: ChannelConfig = {
      name: "am", kind: "alertmanager", enabled: true, url: "http://alertmanager:9093", chat_id: "x",
      format: "alertmanager", headers: { "X-Scope-OrgID": "team" }, sign: true,
    };
    expect(channelToWire(am)).toEqual({
      name: "am", kind: "alertmanager", enabled: true, url: "http://alertmanager:9093", chat_id: null, format: null,
      secret_file: null, ca_file: null, timeout: null, headers: { "X-Scope-OrgID": "team" },
    });
    expect("headers" in channelToWire({ ...am, headers: {} }), "none is absent").toBe(false);
  });

  test("secret_file and ca_file go back exactly as loaded", () => {
    const loaded = ntfy({ secret_file: "/etc/lookout/ntfy.token", ca_file: "/etc/lookout/ca.pem" });
    const wire = channelToWire(loaded);
    expect([wire.secret_file, wire.ca_file]).toEqual(["/etc/lookout/ntfy.token", "/etc/lookout/ca.pem"]);
    expect(channelToWire({ ...loaded, secret_file: "  " }).secret_file, "not even trimmed away").toBe("  ");
  });

  test("in the whole config: none is absent, the draft is untouched", () => {
    expect(channelsToWire(undefined)).toBeUndefined();
    expect(channelsToWire([])).toBeUndefined();
    const draft = recorded("default").config;
    draft.channels = [];
    expect("channels" in toWire(draft)).toBe(false);
    draft.channels = [ntfy({ timeout: "" })];
    expect(toWire(draft).channels?.[0].timeout).toBeNull();
    expect(draft.channels[0].timeout, "the form keeps what was typed").toBe("");
  });
});

describe("channels and rules", () => {
  test("a rule can tick desktop, email, every declared channel, and any other it names", () => {
    const config = recorded("default").config;
    config.channels = [ntfy(), ntfy({ name: "" }), ntfy({ name: "phone" }), { name: "tg", kind: "telegram", enabled: false, chat_id: "1" }];
    const declared = channelNames(config);
    expect(declared, "blank and repeated names once").toEqual(["phone", "tg"]);
    expect(ruleChannelChoices(declared, null)).toEqual(["desktop", "email", "phone", "tg"]);
    expect(ruleChannelChoices(declared, ["gone", "email"]), "a removed channel stays visible").toEqual(["desktop", "email", "phone", "tg", "gone"]);
  });

  test("renaming a channel renames it in the rules that name it", () => {
    const config = recorded("default").config;
    config.rules[0].channels = ["desktop", "phone"];
    config.rules[1].channels = ["phone"];
    const renamed = renameInRules(config, "phone", "mobile");
    expect(renamed.rules.map((r) => r.channels ?? null)).toEqual([["desktop", "mobile"], ["mobile"], null, null]);
    expect(config.rules[1].channels, "a copy").toEqual(["phone"]);
  });
});

describe("what the window knows of a channel", () => {
  test("whether the saved config has it as shown (a test sends the saved one)", () => {
    const saved = recorded("default").config;
    saved.channels = [ntfy()];
    expect(savedAsShown(ntfy(), saved)).toBe("saved");
    expect(savedAsShown(ntfy({ timeout: "" }), saved), "blank is absent").toBe("saved");
    expect(savedAsShown(ntfy({ url: "https://ntfy.sh/other" }), saved)).toBe("changed");
    expect(savedAsShown(ntfy({ name: "new" }), saved)).toBe("unsaved");
    expect(savedAsShown(ntfy(), null)).toBe("unsaved");
  });

  test("its secret's state, never the secret", () => {
    const states = [
      { channel: "phone", stored: true, from_file: false, problem: null },
      { channel: "tg", stored: false, from_file: false, problem: null },
      { channel: "srv", stored: true, from_file: true, problem: null },
    ];
    expect(["phone", "tg", "srv", "new"].map((n) => secretState(n, states))).toEqual(["stored", "none", "file", "unknown"]);
    expect(secretState("phone", null), "not asked yet").toBe("unknown");
  });

  test("its health from the status", () => {
    const status = { channel: "phone", enabled: true, last_ok_at: null, last_error_at: null, last_error: null, consecutive_failures: 0 };
    expect(channelHealthState(ntfy(), undefined)).toBe("quiet");
    expect(channelHealthState(ntfy(), status)).toBe("quiet");
    expect(channelHealthState(ntfy(), { ...status, last_ok_at: 5 })).toBe("delivered");
    expect(channelHealthState(ntfy(), { ...status, last_ok_at: 5, consecutive_failures: 2 })).toBe("failing");
    expect(channelHealthState(ntfy({ enabled: false }), { ...status, consecutive_failures: 2 })).toBe("off");
  });

  test("typed secrets are stored under the names the config is saved with", () => {
    const channels = [ntfy({ name: "a" }), ntfy({ name: "b" }), ntfy({ name: "c" })];
    expect(pendingSecrets(channels, [7, 8, 9], { 7: "tk_1", 8: "  ", 9: "tk_3", 4: "gone" })).toEqual([
      { key: 7, name: "a", secret: "tk_1" },
      { key: 9, name: "c", secret: "tk_3" },
    ]);
  });
});
