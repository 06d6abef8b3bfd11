// The fake backend's push channels (none was recorded): it keeps whatever channels a saved
// config declares without checking them, remembers which secrets were stored (never the
// window's to read back), and answers a test the way Lookout's sender would for what the
// saved channel has: the service's "HTTP 200" answer when it has all it needs, else the
// error naming what is missing (a bot token, a chat id, ...) or set where its kind takes no
// such field (an Alertmanager's format, say). Nothing leaves the machine.
// As the monitor, a save may not set or change a channel's secret_file or ca_file, and a
// channel the window sends somewhere else (another kind, URL or chat) loses its stored secret.
import type { ApiError } from "../bindings/ApiError";
import type { ChannelConfig } from "../bindings/ChannelConfig";
import type { ChannelKind } from "../bindings/ChannelKind";
import type { ChannelSecretState } from "../bindings/ChannelSecretState";
import type { ChannelStatus } from "../bindings/ChannelStatus";
import type { Timestamp } from "../bindings/Timestamp";

const fail = (code: ApiError["code"], message: string): ApiError => ({ code, message });

/** What a kind's secret is, as the sender names it when it is missing. */
const SECRET_WHAT: Partial<Record<ChannelKind, string>> = {
  gotify: "the application token",
  telegram: "the bot token",
  discord: "the webhook URL",
  slack: "the webhook URL",
  apprise: "the Apprise URLs",
};

/** The kinds that need a url, and those that take headers (an Alertmanager behind a proxy may want its own). */
const NEEDS_URL: readonly ChannelKind[] = ["webhook", "ntfy", "gotify", "alertmanager"];
const TAKES_HEADERS: readonly ChannelKind[] = ["webhook", "alertmanager"];

/** The first field set on `c` that its kind does not take, as Lookout's config check names it. */
function notForKind(c: ChannelConfig): string | null {
  if (c.kind !== "telegram" && c.chat_id != null) return "chat_id";
  if (c.kind !== "webhook" && c.format != null) return "format";
  if (!TAKES_HEADERS.includes(c.kind) && Object.keys(c.headers ?? {}).length > 0) return "headers";
  if (c.kind !== "webhook" && c.sign) return "sign";
  return null;
}

/** The machine the test messages name. */
const HOST = "workstation";
const NOTE = " (fake backend: nothing left this machine)";

export class FakeChannels {
  /** The stored secrets, by channel name. */
  private readonly secrets = new Map<string, string>();
  private sent = 0;

  /** The saved channel `name`, or the monitor's refusal. */
  private find(channels: readonly ChannelConfig[], name: string): ChannelConfig {
    const c = channels.find((x) => x.name === name);
    if (!c) throw fail("bad_request", `there is no channel '${name}' in the saved config; save it first`);
    return c;
  }

  private secretOf(c: ChannelConfig): string | null {
    return c.secret_file ? "(from secret_file)" : (this.secrets.get(c.name) ?? null);
  }

  /** Refuses, as the monitor does, a config that sets or changes a channel's secret_file or ca_file. */
  checkFiles(current: readonly ChannelConfig[], wanted: readonly ChannelConfig[]): void {
    for (const channel of wanted) {
      const saved = current.find((c) => c.name === channel.name);
      for (const field of ["secret_file", "ca_file"] as const) {
        if ((saved?.[field] ?? null) !== (channel[field] ?? null))
          throw fail(
            "forbidden",
            `channels '${channel.name}' ${field} can only be changed in the config file or with the command line, not from the window; the config was not saved`,
          );
      }
    }
  }

  /**
   * After a save: the channels now sent somewhere else (another kind, URL or chat) lose their
   * stored secret, and so do the channels removed or renamed, as Lookout does.
   */
  forgetMoved(before: readonly ChannelConfig[], after: readonly ChannelConfig[]): void {
    for (const channel of after) {
      const saved = before.find((c) => c.name === channel.name);
      const moved =
        saved !== undefined &&
        (saved.kind !== channel.kind || (saved.url ?? null) !== (channel.url ?? null) || (saved.chat_id ?? null) !== (channel.chat_id ?? null));
      if (moved && !channel.secret_file) this.secrets.delete(channel.name);
    }
    for (const gone of before.filter((c) => !c.secret_file && !after.some((a) => a.name === c.name)))
      this.secrets.delete(gone.name);
  }

  async test(channels: readonly ChannelConfig[], name: string, now: Timestamp): Promise<string> {
    const c = this.find(channels, name);
    const secret = this.secretOf(c);
    const missing = (what: string) =>
      fail(
        "channel",
        `no secret is stored for channel '${c.name}' (${what}); store it with \`lookout secret set channel:${c.name}\` or give secret_file`,
      );
    // Lookout would not have saved these; the fake saves channels unchecked, so it says so here.
    if (NEEDS_URL.includes(c.kind) && !c.url) throw fail("channel", `a ${c.kind} channel needs url = "https://..."`);
    const extra = notForKind(c);
    if (extra) throw fail("channel", `${extra} does not apply to a ${c.kind} channel; remove it`);
    if (c.kind === "telegram" && !c.chat_id?.trim())
      throw fail("channel", 'a telegram channel needs chat_id = "...", the chat the bot posts to');
    const what = SECRET_WHAT[c.kind] ?? (c.kind === "webhook" && c.sign ? "the signing key" : null);
    if (what && secret === null) throw missing(what);

    this.sent += 1;
    const id = ((this.sent * 2654435761) >>> 0).toString(36);
    const seconds = Math.floor(now / 1000);
    const text = `This is a test message from Lookout on ${HOST}`;
    switch (c.kind) {
      case "ntfy": {
        const topic = (c.url ?? "").replace(/\/+$/, "").split("/").pop();
        return `HTTP 200: {"id":"${id}","time":${seconds},"expires":${seconds + 43200},"event":"message","topic":"${topic}","title":"Lookout test","message":"${text}"}${NOTE}`;
      }
      case "gotify":
        return `HTTP 200: {"id":${this.sent},"appid":1,"message":"${text}","title":"Lookout test","priority":2,"date":"${new Date(now).toISOString()}"}${NOTE}`;
      case "telegram":
        return `HTTP 200: {"ok":true,"result":{"message_id":${this.sent},"chat":{"id":"${c.chat_id}"},"date":${seconds},"text":"ℹ️ Lookout test"}}${NOTE}`;
      case "slack":
        return `HTTP 200: ok${NOTE}`;
      case "discord":
        return `HTTP 200${NOTE}`;
      case "webhook":
        return `HTTP 200: {"received":true}${NOTE}`;
      case "apprise":
        return `apprise: sent${NOTE}`;
      case "alertmanager":
        // Its v2 API answers a POST to /api/v2/alerts with an empty 200.
        return `HTTP 200${NOTE}`;
    }
  }

  async setSecret(channels: readonly ChannelConfig[], name: string, secret: string): Promise<void> {
    const c = this.find(channels, name);
    if (c.secret_file)
      throw fail("forbidden", `channel '${name}' reads its secret from secret_file '${c.secret_file}'; change that file instead`);
    if (secret.trim() === "")
      throw fail("keyring", `an empty secret cannot be stored; to remove the stored one, use \`lookout secret clear channel:${name}\``);
    this.secrets.set(c.name, secret.trim());
  }

  async clearSecret(channels: readonly ChannelConfig[], name: string): Promise<void> {
    this.secrets.delete(this.find(channels, name).name);
  }

  states(channels: readonly ChannelConfig[]): ChannelSecretState[] {
    return channels.map((c) => ({
      channel: c.name,
      stored: this.secretOf(c) !== null,
      from_file: !!c.secret_file,
      problem: null,
    }));
  }

  /** The health of each declared channel: nothing delivered yet (the fake has no push sender). */
  health(channels: readonly ChannelConfig[]): ChannelStatus[] {
    // One each, none named like a built-in one (Lookout would not have saved those).
    const named = new Map(channels.filter((c) => c.name !== "desktop" && c.name !== "email").map((c) => [c.name, c]));
    return [...named.values()].map((c) => ({
      channel: c.name,
      enabled: c.enabled,
      last_ok_at: null,
      last_error_at: null,
      last_error: null,
      consecutive_failures: 0,
    }));
  }
}
