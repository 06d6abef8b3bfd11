// Push channels in the window: which fields each kind uses and the words for them (literal
// message ids, as the catalog tests need), the secret each kind keeps out of the config, new
// channels and free names, the headers (a webhook's, an Alertmanager's) as text, and a channel
// as the backend expects it. Lookout checks every channel again when saving; nothing here is a
// second validator.
import type { ChannelConfig } from "./bindings/ChannelConfig";
import type { ChannelKind } from "./bindings/ChannelKind";
import type { ChannelSecretState } from "./bindings/ChannelSecretState";
import type { ChannelStatus } from "./bindings/ChannelStatus";
import type { Config } from "./bindings/Config";

/** Every kind, in the order the kind picker lists them. */
export const CHANNEL_KINDS: readonly ChannelKind[] = ["ntfy", "telegram", "discord", "slack", "gotify", "webhook", "alertmanager", "apprise"];

/** The built-in channels a push channel may not be named after. */
export const BUILT_IN_CHANNELS: readonly string[] = ["desktop", "email"];

/** Each service by its own name (brand names are not translated). */
const KIND_NAMES: Record<ChannelKind, string> = {
  webhook: "Webhook",
  ntfy: "ntfy",
  telegram: "Telegram",
  discord: "Discord",
  slack: "Slack",
  gotify: "Gotify",
  apprise: "Apprise",
  alertmanager: "Alertmanager",
};

export function kindName(kind: ChannelKind): string {
  return KIND_NAMES[kind] ?? kind;
}

/** What the form shows for `url`: needed, may be left empty, or not at all (it is the secret). */
export type UrlUse = "required" | "optional" | "none";

/** The fields a kind uses; the form shows only these. */
export type KindFields = {
  url: UrlUse;
  chatId: boolean;
  /** Headers sent with every request (a webhook's, or an Alertmanager's behind a proxy). */
  headers: boolean;
  /** A webhook's format and sign. */
  webhook: boolean;
};

const FIELDS: Record<ChannelKind, KindFields> = {
  webhook: { url: "required", chatId: false, headers: true, webhook: true },
  alertmanager: { url: "required", chatId: false, headers: true, webhook: false },
  ntfy: { url: "required", chatId: false, headers: false, webhook: false },
  gotify: { url: "required", chatId: false, headers: false, webhook: false },
  telegram: { url: "optional", chatId: true, headers: false, webhook: false },
  discord: { url: "none", chatId: false, headers: false, webhook: false },
  slack: { url: "none", chatId: false, headers: false, webhook: false },
  apprise: { url: "none", chatId: false, headers: false, webhook: false },
};

export function kindFields(kind: ChannelKind): KindFields {
  return FIELDS[kind];
}

/** The label and hint of the url field of a kind that has one (hints carry an example). */
const URL_IDS: Record<ChannelKind, { label: string; hint: string } | null> = {
  webhook: { label: "ui-channels-url-webhook", hint: "ui-channels-url-webhook-hint" },
  ntfy: { label: "ui-channels-url-ntfy", hint: "ui-channels-url-ntfy-hint" },
  gotify: { label: "ui-channels-url-gotify", hint: "ui-channels-url-gotify-hint" },
  telegram: { label: "ui-channels-url-telegram", hint: "ui-channels-url-telegram-hint" },
  alertmanager: { label: "ui-channels-url-alertmanager", hint: "ui-channels-url-alertmanager-hint" },
  discord: null,
  slack: null,
  apprise: null,
};

export function urlIds(kind: ChannelKind): { label: string; hint: string } | null {
  return URL_IDS[kind];
}

/** An example of the url, for the field's placeholder. */
const URL_EXAMPLES: Record<ChannelKind, string> = {
  webhook: "https://example.com/hooks/lookout",
  ntfy: "https://ntfy.sh/my-topic",
  gotify: "https://gotify.example.com",
  telegram: "https://api.telegram.org",
  alertmanager: "http://alertmanager:9093",
  discord: "",
  slack: "",
  apprise: "",
};

export function urlExample(kind: ChannelKind): string {
  return URL_EXAMPLES[kind];
}

/** How a channel uses its secret: it cannot send without it, may use one, or uses none. */
export type SecretUse = "required" | "optional" | "none";

/**
 * What the secret is to a channel: ntfy's access token and Alertmanager's bearer token are
 * optional; a webhook's is its signing key, only when it signs its bodies.
 */
export function secretUse(kind: ChannelKind, sign = false): SecretUse {
  if (kind === "ntfy" || kind === "alertmanager") return "optional";
  if (kind === "webhook") return sign ? "required" : "none";
  return "required";
}

/** The label and hint of the secret field: what the secret is to this kind; null when it uses none. */
export function secretIds(kind: ChannelKind, sign = false): { label: string; hint: string } | null {
  switch (kind) {
    case "ntfy":
      return { label: "ui-channels-secret-ntfy", hint: "ui-channels-secret-ntfy-hint" };
    case "gotify":
      return { label: "ui-channels-secret-gotify", hint: "ui-channels-secret-gotify-hint" };
    case "telegram":
      return { label: "ui-channels-secret-telegram", hint: "ui-channels-secret-telegram-hint" };
    case "discord":
      return { label: "ui-channels-secret-webhook-url", hint: "ui-channels-secret-discord-hint" };
    case "slack":
      return { label: "ui-channels-secret-webhook-url", hint: "ui-channels-secret-slack-hint" };
    case "apprise":
      return { label: "ui-channels-secret-apprise", hint: "ui-channels-secret-apprise-hint" };
    case "alertmanager":
      return { label: "ui-channels-secret-alertmanager", hint: "ui-channels-secret-alertmanager-hint" };
    case "webhook":
      return sign ? { label: "ui-channels-secret-signing", hint: "ui-channels-secret-signing-hint" } : null;
  }
}

/** What the form says about a kind beyond its fields (what Lookout sends it), or null. */
export function kindAboutId(kind: ChannelKind): string | null {
  return kind === "alertmanager" ? "ui-channels-about-alertmanager" : null;
}

/** A name no channel has yet: the kind's own ("ntfy"), else "ntfy-2", "ntfy-3", ... */
export function freeChannelName(kind: ChannelKind, channels: readonly ChannelConfig[]): string {
  const taken = new Set([...BUILT_IN_CHANNELS, ...channels.map((c) => c.name.trim())]);
  if (!taken.has(kind)) return kind;
  for (let n = 2; ; n++) if (!taken.has(`${kind}-${n}`)) return `${kind}-${n}`;
}

/** A new channel of `kind` as the form starts it: on, and only the fields the kind uses. */
export function newChannel(kind: ChannelKind, channels: readonly ChannelConfig[]): ChannelConfig {
  const fields = kindFields(kind);
  const c: ChannelConfig = { name: freeChannelName(kind, channels), kind, enabled: true };
  if (fields.url !== "none") c.url = null;
  if (fields.chatId) c.chat_id = null;
  if (fields.webhook) c.format = null;
  return c;
}

/** Headers as the form shows them: "Name: value", one per line. */
export function headersToText(headers: { [key in string]: string } | undefined): string {
  return Object.entries(headers ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");
}

/**
 * The headers typed as "Name: value" lines. Blank lines are skipped; a line without a colon is
 * a name with an empty value; a later line of the same name wins. Lookout judges the rest.
 */
export function headersFromText(text: string): { [key in string]: string } {
  const out: { [key in string]: string } = {};
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const at = line.indexOf(":");
    const name = (at < 0 ? line : line.slice(0, at)).trim();
    out[name] = at < 0 ? "" : line.slice(at + 1).trim();
  }
  return out;
}

const blankToNull = (s: string | null | undefined): string | null => (s == null || s.trim() === "" ? null : s);

/**
 * One channel as the backend expects it: blank texts are absent (null), the fields its kind
 * does not use are left out, and `secret_file` and `ca_file` are exactly as loaded (only the
 * config file sets them). A copy; the draft stays as typed.
 */
export function channelToWire(channel: ChannelConfig): ChannelConfig {
  const fields = kindFields(channel.kind);
  const out: ChannelConfig = {
    name: channel.name,
    kind: channel.kind,
    enabled: channel.enabled,
    url: fields.url === "none" ? null : blankToNull(channel.url),
    chat_id: fields.chatId ? blankToNull(channel.chat_id) : null,
    format: fields.webhook ? (channel.format ?? null) : null,
    secret_file: channel.secret_file ?? null,
    ca_file: channel.ca_file ?? null,
    timeout: blankToNull(channel.timeout),
  };
  if (fields.headers) {
    const headers = channel.headers ?? {};
    if (Object.keys(headers).length > 0) out.headers = { ...headers };
  }
  if (fields.webhook && channel.sign) out.sign = true;
  return out;
}

/** The channels of a config as the backend expects them (absent when there are none). */
export function channelsToWire(channels: readonly ChannelConfig[] | undefined): ChannelConfig[] | undefined {
  return channels && channels.length > 0 ? channels.map(channelToWire) : undefined;
}

/** The names of the declared channels, in order, each once, blank ones left out. */
export function channelNames(config: Config | null | undefined): string[] {
  const names = (config?.channels ?? []).map((c) => c.name).filter((n) => n.trim() !== "");
  return [...new Set(names)];
}

/**
 * The channels a rule can tick: desktop, email, the declared ones, then any the rule names
 * that none of those is (so a removed or renamed channel stays visible, with its error).
 */
export function ruleChannelChoices(declared: readonly string[], ruleChannels: readonly string[] | null | undefined): string[] {
  const out = [...BUILT_IN_CHANNELS];
  for (const name of [...declared, ...(ruleChannels ?? [])]) if (!out.includes(name)) out.push(name);
  return out;
}

/** `config` with every rule's mention of channel `from` renamed to `to` (a copy). */
export function renameInRules(config: Config, from: string, to: string): Config {
  const c = JSON.parse(JSON.stringify(config)) as Config;
  if (from === to) return c;
  for (const rule of c.rules) if (rule.channels) rule.channels = rule.channels.map((ch) => (ch === from ? to : ch));
  return c;
}

/** Whether the saved config has a channel named `name` exactly like the draft's (so a test sends what is shown). */
export function savedAsShown(channel: ChannelConfig, saved: Config | null): "unsaved" | "changed" | "saved" {
  const there = saved?.channels?.find((c) => c.name === channel.name);
  if (!there) return "unsaved";
  return JSON.stringify(canonicalChannel(there)) === JSON.stringify(canonicalChannel(channel)) ? "saved" : "changed";
}

function canonicalChannel(c: ChannelConfig): unknown {
  const w = channelToWire(c) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(w).sort().map((k) => [k, w[k]]));
}

/** What the window knows of a channel's secret: stored (and where), not stored, or not known yet. */
export type SecretState = "stored" | "file" | "none" | "unknown";

export function secretState(name: string, states: readonly ChannelSecretState[] | null): SecretState {
  const s = states?.find((x) => x.channel === name);
  if (!s) return "unknown";
  if (s.from_file) return "file";
  return s.stored ? "stored" : "none";
}

/** A channel's health as its row shows it: off, failing, delivered before, or nothing yet. */
export type ChannelHealthState = "off" | "failing" | "delivered" | "quiet";

export function channelHealthState(channel: ChannelConfig, status: ChannelStatus | undefined): ChannelHealthState {
  if (!channel.enabled) return "off";
  if (status && status.consecutive_failures > 0) return "failing";
  return status?.last_ok_at != null ? "delivered" : "quiet";
}
