// The Backend in a plain browser (dev server, tests). It computes nothing of Lookout's own:
// validation results and views are answers of the real monitor, recorded into fixtures/ by
// crates/lookout-monitor/tests/ui_fixtures.rs (regenerated and checked by `make test`).
//
// - Configs: only the recorded ones are known, looked up by configKey(). Validating or saving
//   any other config is refused with an "internal" ApiError saying so: the fake cannot tell
//   whether it is valid, and guessing would make it a second validator.
// - Ticks: the recorded run of the saved config's rules replays in a loop, one a second, at
//   the fake's own clock. Readings and the alert log are shifted to end at the fake's "now".
// - Its own state: the SMTP password (write-only), pause, autostart, the test buttons, and a
//   made-up process table (fakeProcesses.ts) for list_processes and the app watches' figures.
// - App watches (`apps`): none was recorded, so the fake keeps whatever watches a config has
//   without checking them (the rest of the config must still be a recorded one); the window
//   checks what it can before saving, and Lookout itself checks everything.
// - Rule actions: as the monitor does, a save keeps the saved config's actions of each rule
//   (by rule name) whatever the window sent; a config is looked up without them.
// - The language: the status names the saved config's language; with `auto` (absent), the
//   browser's language stands in for the OS locale: Korean for "ko…", English otherwise.
// - History and backtests: nothing was recorded over days, so both are synthetic
//   (fakeHistory.ts): a deterministic series per metric around its recorded recent readings,
//   with one gap in the middle of ranges longer than an hour, and a rule replayed over it.
// - Deliveries: made up from the alert log's ids and times (fakeDeliveries.ts), with email
//   waiting and failing; the status counts its outbox, and each enabled channel's health is
//   what its attempts say. "Send now" is refused while email is off, as the monitor does.
// - Push channels (`channels`): none was recorded, so, as with watches, the fake keeps whatever
//   channels a config declares without checking them, and rules may name them (the rest of the
//   config must still be a recorded one). Their secrets are its own state; a test answers as
//   Lookout's sender would for what the saved channel has (fakeChannels.ts).
// - Batteries, disk activity, GPUs and probes: none was recorded, so one of each is made up
//   (fakeDevices.ts) and added to every tick and to the recent readings, with a synthetic
//   history of its own: a battery draining on battery power, a busy NVMe disk, a GPU, a NAS.
// - Disk use: made up from the synthetic history's extent (fakeStorage.ts): every metric of
//   the recording, recorded since 40 days before the fake started, as `[storage]` keeps it.
// - Prometheus and web access (`http`): every recording serves nothing, so the fake keeps
//   whatever `[http]` a config has and, as the one exception to recorded answers, reports
//   Lookout's two checks of it itself (httpProblems() in ../httpSettings.ts); the rest of the
//   config must still be a recorded one. It serves nothing either.
import type { AlertPhase } from "../bindings/AlertPhase";
import type { AppConfig } from "../bindings/AppConfig";
import type { ApiError } from "../bindings/ApiError";
import type { Backtest } from "../bindings/Backtest";
import type { ChannelSecretState } from "../bindings/ChannelSecretState";
import type { Config } from "../bindings/Config";
import type { DeliveryLog } from "../bindings/DeliveryLog";
import type { FieldError } from "../bindings/FieldError";
import type { HistorySeries } from "../bindings/HistorySeries";
import type { HttpConfig } from "../bindings/HttpConfig";
import type { Language } from "../bindings/Language";
import type { LoggedAlert } from "../bindings/LoggedAlert";
import type { MetricSeries } from "../bindings/MetricSeries";
import type { ProcessEntry } from "../bindings/ProcessEntry";
import type { RuleConfig } from "../bindings/RuleConfig";
import type { Status } from "../bindings/Status";
import type { StorageUsage } from "../bindings/StorageUsage";
import type { TickView } from "../bindings/TickView";
import type { Timestamp } from "../bindings/Timestamp";
import configsJson from "./fixtures/configs.json";
import viewsJson from "./fixtures/views.json";
import { parseDuration } from "../format";
import { HTTP_OFF, httpProblems } from "../httpSettings";
import { isMetricKey, profileOf, syntheticBacktest, syntheticHistory, type Profile } from "./fakeHistory";
import { appReadings, fakeProcessList } from "./fakeProcesses";
import { demoProfile, deviceReadings, deviceRecent } from "./fakeDevices";
import { RECORDING_DAYS, syntheticStorageUsage } from "./fakeStorage";
import { FakeDeliveries } from "./fakeDeliveries";
import { FakeChannels } from "./fakeChannels";
import type { Backend, Unsubscribe } from "./types";

/** One config as the real monitor judged it (see fixtures/configs.json). */
export type RecordedConfig = {
  name: string;
  config: Config;
  errors: FieldError[];
  /** Valid configs only: the run of views.json their ticks replay, and their status. */
  run?: string;
  status?: { running: Status; paused: Status };
};

type Views = {
  now: Timestamp;
  recent: MetricSeries[];
  alerts: LoggedAlert[];
  runs: Record<string, TickView[]>;
};

const RECORDED = (configsJson as unknown as { configs: RecordedConfig[] }).configs;
const VIEWS = viewsJson as unknown as Views;
const TICK_MS = 1000; // every recorded config samples once a second

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** A recorded phase with its times (every number in a phase is a Timestamp) moved by `by`. */
const shiftPhase = (phase: AlertPhase, by: number): AlertPhase =>
  Object.fromEntries(Object.entries(phase).map(([k, v]) => [k, typeof v === "number" ? v + by : v])) as AlertPhase;
const fail = (code: ApiError["code"], message: string, fields?: FieldError[]): ApiError =>
  fields ? { code, message, fields } : { code, message };

/** A config as comparable text: keys sorted, absent optional fields (null) left out. */
export function configKey(config: Config): string {
  const norm = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(norm)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([, x]) => x !== null && x !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, x]) => [k, norm(x)]),
          )
        : v;
  return JSON.stringify(norm(config));
}

/**
 * The part of a config the recordings decide: without app watches, push channels and rule
 * actions, and without the rules' mentions of declared channels (a rule naming only those is
 * looked up as one naming none); `[http]` as it was recorded, serving nothing.
 */
function recordedPart(config: Config): Config {
  const c = clone(config);
  c.http = clone(HTTP_OFF);
  const declared = new Set((c.channels ?? []).map((ch) => ch.name));
  delete c.apps;
  delete c.channels;
  for (const r of c.rules) {
    delete r.actions;
    if (r.channels) {
      r.channels = r.channels.filter((ch) => !declared.has(ch));
      if (r.channels.length === 0) delete r.channels;
    }
  }
  return c;
}

/**
 * `wanted` with each rule's actions replaced by those of the rule of the same name in
 * `file` (none for a rule the file does not have), as the monitor saves a window's config.
 */
export function keepFileActions(wanted: Config, file: Config): Config {
  const c = clone(wanted);
  for (const rule of c.rules) {
    const kept = file.rules.find((r) => r.name === rule.name)?.actions ?? [];
    if (kept.length > 0) rule.actions = clone(kept);
    else delete rule.actions;
  }
  return c;
}

const isHttpOff = (http: HttpConfig | undefined) => !http || (http.listen === HTTP_OFF.listen && http.dashboard === HTTP_OFF.dashboard);
// Recordings that serve something are not looked up: the fake answers for `[http]` itself.
const BY_KEY = new Map(RECORDED.filter((r) => isHttpOff(r.config.http)).map((r) => [configKey(recordedPart(r.config)), r]));

/** Where Lookout's validator puts the `[http]` errors: after these sections', before the rest. */
const BEFORE_HTTP: readonly unknown[] = ["version", "language", "sampling", "desktop", "email", "quiet_hours", "storage"];

/** The recorded errors of a config with Lookout's checks of its own `http` in their place. */
function withHttpProblems(recordedErrors: readonly FieldError[], http: HttpConfig): FieldError[] {
  const rest = recordedErrors.filter((e) => e.path[0] !== "http").map(clone);
  const after = rest.findIndex((e) => !BEFORE_HTTP.includes(e.path[0]));
  const at = after < 0 ? rest.length : after;
  return [...rest.slice(0, at), ...httpProblems(http), ...rest.slice(at)];
}

/** A recorded config by its name in fixtures/configs.json (tests start from these). */
export function recorded(name: string): RecordedConfig {
  const r = RECORDED.find((c) => c.name === name);
  if (!r) throw new Error(`no recorded config named '${name}'`);
  return clone(r);
}

export type FakeOptions = {
  /** The clock; Date.now by default. */
  now?: () => Timestamp;
  /** Tick on a timer while someone streams (default true); tests call tick() instead. */
  timer?: boolean;
  /** The locale `auto` follows, like LANG for Lookout; navigator.language by default. */
  locale?: string;
};

/** The language Lookout would resolve for a locale name ("ko-KR", "ko_KR.UTF-8", "en-US"). */
export function languageOfLocale(locale: string | undefined): Language {
  return locale?.toLowerCase().split(/[-_.@]/)[0] === "ko" ? "ko" : "en";
}

export class FakeBackend implements Backend {
  readonly kind = "fake" as const;
  private current: RecordedConfig = recorded("default");
  private readonly now: () => Timestamp;
  private readonly useTimer: boolean;
  /** Added to every recorded time, so the recording ends at this fake's start. */
  private readonly shift: number;
  private readonly listeners = new Set<(tick: TickView) => void>();
  private replayed = 0;
  private last: TickView;
  private timer: ReturnType<typeof setInterval> | null = null;
  private password: string | null = null;
  private pausedUntil: Timestamp | null = null;
  private autostart = false;
  private readonly locale: string | undefined;
  private readonly started: Timestamp;
  private readonly deliveries: FakeDeliveries;
  private readonly channels = new FakeChannels();
  /** The demo devices' recent readings, at the recorded readings' times (see fakeDevices.ts). */
  private readonly devicesRecent: MetricSeries[];

  constructor(options: FakeOptions = {}) {
    this.now = options.now ?? Date.now;
    this.useTimer = options.timer ?? true;
    this.locale = options.locale ?? globalThis.navigator?.language;
    this.shift = this.now() - VIEWS.now;
    this.started = this.now();
    const times = VIEWS.recent.find((r) => r.metric === "cpu.total")?.times ?? [];
    this.devicesRecent = deviceRecent(times.map((t) => t + this.shift), this.started);
    this.last = this.replay(this.now());
    const alerts = VIEWS.alerts.map((a) => ({ ...a.event, id: a.id, at: a.event.at + this.shift }));
    const { host, port, to } = this.current.config.email;
    this.deliveries = new FakeDeliveries(alerts, { host, port, to });
  }

  private paused(at: Timestamp): boolean {
    return this.pausedUntil !== null && this.pausedUntil > at;
  }

  /** The next recorded tick of the saved config's run, at `at`. */
  private replay(at: Timestamp): TickView {
    const run = VIEWS.runs[this.current.run ?? "default"];
    const recordedTick = clone(run[this.replayed++ % run.length]);
    const snoozed = this.paused(at) ? this.pausedUntil : null;
    const rules = recordedTick.rules.map((r) => ({
      ...r, phase: shiftPhase(r.phase, at - recordedTick.at), snoozed_until: snoozed,
    }));
    const apps: AppConfig[] = this.current.config.apps ?? [];
    const uptime = 5 * 3600 + Math.round((at - this.started) / 1000);
    const values = {
      ...recordedTick.values, ...deviceReadings(at, this.started), ...appReadings(apps, recordedTick.values, this.replayed, uptime),
    };
    return { at, values, rules };
  }

  /** Advances by one recorded tick at `at` and tells every listener. */
  tick(at: Timestamp = this.now()): TickView {
    this.last = this.replay(at);
    for (const listener of this.listeners) listener(clone(this.last));
    return this.last;
  }

  private lookup(config: Config): RecordedConfig {
    const r = BY_KEY.get(configKey(recordedPart(config)));
    if (!r)
      throw fail(
        "internal",
        "the demo backend can only check the configs recorded from Lookout " +
          "(ui/src/lib/backend/fixtures/configs.json); run Lookout itself to check this one",
      );
    return r;
  }

  async getConfig(): Promise<Config> {
    return clone(this.current.config);
  }

  async validateConfig(config: Config): Promise<FieldError[]> {
    return withHttpProblems(this.lookup(config).errors, config.http);
  }

  async setConfig(config: Config): Promise<Config> {
    // As the monitor: where the password may go is not the window's to change.
    for (const k of ["password_file", "ca_file"] as const) {
      if ((config.email[k] ?? null) !== (this.current.config.email[k] ?? null)) {
        throw fail("forbidden", `email.${k} can only be changed in the config file or with the command line, not from the window; the config was not saved`);
      }
    }
    this.channels.checkFiles(this.current.config.channels ?? [], config.channels ?? []);
    const wanted = keepFileActions(config, this.current.config);
    const r = this.lookup(wanted);
    const errors = withHttpProblems(r.errors, wanted.http);
    const n = errors.length;
    if (n > 0) throw fail("invalid_config", `the config has ${n} ${n === 1 ? "problem" : "problems"}`, errors);
    if (r.run !== this.current.run) this.replayed = 0;
    // The recorded config, with the watches, channels, rules' channels, kept actions and [http] of the one saved.
    const saved = clone(r.config);
    saved.http = clone(wanted.http);
    if (wanted.apps && wanted.apps.length > 0) saved.apps = clone(wanted.apps);
    if (wanted.channels && wanted.channels.length > 0) saved.channels = clone(wanted.channels);
    const declared = new Set((wanted.channels ?? []).map((c) => c.name));
    saved.rules.forEach((rule, i) => {
      if (wanted.rules[i].actions) rule.actions = clone(wanted.rules[i].actions);
      if (wanted.rules[i].channels?.some((c) => declared.has(c))) rule.channels = clone(wanted.rules[i].channels);
    });
    this.channels.forgetMoved(this.current.config.channels ?? [], saved.channels ?? []);
    this.current = { ...clone(r), config: saved };
    return clone(saved);
  }

  async getSnapshot(): Promise<TickView | null> {
    return clone(this.last);
  }

  async streamTicks(onTick: (tick: TickView) => void): Promise<Unsubscribe> {
    this.listeners.add(onTick);
    if (this.useTimer && this.timer === null) this.timer = setInterval(() => this.tick(), TICK_MS);
    return () => {
      this.listeners.delete(onTick);
      if (this.listeners.size === 0 && this.timer !== null) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  async getRecent(): Promise<MetricSeries[]> {
    const recorded = VIEWS.recent.map((s) => ({ ...s, times: s.times.map((t) => t + this.shift), values: [...s.values] }));
    return [...recorded, ...clone(this.devicesRecent)];
  }

  /** The synthetic history's profile of `metric`: a demo device's own, or around its recent readings, if any. */
  private profile(metric: string): Profile {
    const recent = [...VIEWS.recent, ...this.devicesRecent].find((s) => s.metric === metric)?.values;
    return demoProfile(metric) ?? profileOf(metric, recent);
  }

  /** The sampling interval of the saved config, in ms. */
  private interval(): number {
    return parseDuration(this.current.config.sampling.interval) || TICK_MS;
  }

  async getHistory(metric: string, from: Timestamp, to: Timestamp, points: number): Promise<HistorySeries> {
    if (!isMetricKey(metric)) throw fail("bad_request", `'${metric}' is not a metric`);
    if (!(from < to)) throw fail("bad_request", `the range is empty: ${from} is not before ${to}`);
    return syntheticHistory(metric, this.profile(metric), from, to, points, this.now(), this.interval());
  }

  async backtestRule(rule: RuleConfig, from: Timestamp, to: Timestamp): Promise<Backtest> {
    if (!(from < to)) throw fail("bad_request", `the range is empty: ${from} is not before ${to}`);
    const { raw_hours, minute_days } = this.current.config.storage;
    const retention = { rawMs: raw_hours * 3_600_000, minuteMs: minute_days * 86_400_000 };
    const result = isMetricKey(rule.metric)
      ? syntheticBacktest(rule, this.profile(rule.metric), from, to, this.now(), retention, this.interval())
      : null;
    if (!result)
      throw fail(
        "internal",
        "the demo backend can only backtest a rule with a known metric and readable durations; " +
          "run Lookout itself to check this one",
      );
    return result;
  }

  async getAlerts(since: Timestamp | null, limit: number): Promise<LoggedAlert[]> {
    return VIEWS.alerts
      .map((a) => ({
        id: a.id,
        event: { ...clone(a.event), at: a.event.at + this.shift, since: a.event.since + this.shift },
        actions: (a.actions ?? []).map((run) => ({ ...clone(run), started: run.started + this.shift, finished: run.finished + this.shift })),
      }))
      .filter((a) => since === null || a.event.at >= since)
      .sort((a, b) => b.event.at - a.event.at || b.id - a.id)
      .slice(0, Math.max(0, limit));
  }

  async getStatus(): Promise<Status> {
    const paused = this.paused(this.now());
    const status = clone(this.current.status![paused ? "paused" : "running"]);
    for (const c of status.channels) {
      if (c.last_ok_at !== null) c.last_ok_at += this.shift;
      if (c.enabled && (c.channel === "desktop" || c.channel === "email")) Object.assign(c, this.deliveries.health(c.channel));
    }
    status.channels.push(...this.channels.health(this.current.config.channels ?? []));
    const outbox = this.deliveries.outboxCounts();
    status.outbox_pending = outbox.pending;
    status.outbox_failed = outbox.failed;
    const setting = this.current.config.language;
    const language = setting === "en" || setting === "ko" ? setting : languageOfLocale(this.locale);
    return { ...status, language, paused_until: paused ? this.pausedUntil : null, smtp_password_set: this.password !== null };
  }

  async testNotification(): Promise<string> {
    if (!this.current.config.desktop.enabled)
      throw fail("desktop", "desktop notifications are disabled; turn them on and save first");
    return "Sent a test notification (fake backend: nothing is shown on screen).";
  }

  async testEmail(): Promise<string> {
    const e = this.current.config.email;
    if (!e.enabled) throw fail("email", "email is not enabled; turn it on and save first");
    return `Sent a test email to ${e.to.join(", ")} through ${e.host} (${e.tls}; fake backend, nothing left this machine).`;
  }

  async setSmtpPassword(password: string): Promise<void> {
    if (password === "") throw fail("keyring", "an empty password; type the password, or remove the stored one");
    this.password = password;
  }

  async clearSmtpPassword(): Promise<void> {
    this.password = null;
  }

  async testChannel(name: string): Promise<string> {
    return this.channels.test(this.current.config.channels ?? [], name, this.now());
  }

  async setChannelSecret(name: string, secret: string): Promise<void> {
    return this.channels.setSecret(this.current.config.channels ?? [], name, secret);
  }

  async clearChannelSecret(name: string): Promise<void> {
    return this.channels.clearSecret(this.current.config.channels ?? [], name);
  }

  async getChannelSecrets(): Promise<ChannelSecretState[]> {
    return this.channels.states(this.current.config.channels ?? []);
  }

  async pauseAlerts(until: Timestamp | null): Promise<Status> {
    this.pausedUntil = until;
    return this.getStatus();
  }

  async listProcesses(): Promise<ProcessEntry[]> {
    return fakeProcessList();
  }

  async getAutostart(): Promise<boolean> {
    return this.autostart;
  }

  async setAutostart(enabled: boolean): Promise<boolean> {
    this.autostart = enabled;
    return this.autostart;
  }

  async getDeliveries(limit: number): Promise<DeliveryLog> {
    return this.deliveries.log(limit);
  }

  async sendNow(outboxId: number): Promise<void> {
    if (!this.current.config.email.enabled) throw fail("bad_request", "email is turned off: turn it on to send waiting messages");
    this.deliveries.sendNow(outboxId, this.now());
  }

  /** Nobody times the demo window's start. */
  reportFirstChart(): void {}

  async getStorageUsage(): Promise<StorageUsage> {
    return syntheticStorageUsage({
      storage: this.current.config.storage,
      metrics: VIEWS.recent.length,
      intervalMs: this.interval(),
      recordingSince: this.started - RECORDING_DAYS * 86_400_000,
      logEntries: VIEWS.alerts.length,
      now: this.now(),
    });
  }
}
