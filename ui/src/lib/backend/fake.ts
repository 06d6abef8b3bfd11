// An in-memory Backend with generated live data, for the window in a plain browser (dev server,
// tests) when it is not inside Tauri. Behaves like the real commands, errors included.
import type { AlertEvent } from "../bindings/AlertEvent";
import type { ApiError } from "../bindings/ApiError";
import type { Config } from "../bindings/Config";
import type { FieldError } from "../bindings/FieldError";
import type { LoggedAlert } from "../bindings/LoggedAlert";
import type { MetricSeries } from "../bindings/MetricSeries";
import type { Status } from "../bindings/Status";
import type { TickView } from "../bindings/TickView";
import type { Timestamp } from "../bindings/Timestamp";
import { SeriesStore } from "../ring";
import { MetricGenerator, defaultFakeConfig } from "./fakeData";
import { FakeRuleEngine } from "./fakeRules";
import { parseDuration, validateConfig } from "./fakeValidate";
import type { Backend, Unsubscribe } from "./types";

const HISTORY_MS = 15 * 60 * 1000;
const MIN = 60_000;

export type FakeOptions = {
  /** The clock; Date.now by default. */
  now?: () => Timestamp;
  /** Tick on a timer while someone streams (default true); tests call tick() instead. */
  timer?: boolean;
  seed?: number;
};

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const fail = (code: ApiError["code"], message: string, fields?: FieldError[]): ApiError =>
  fields ? { code, message, fields } : { code, message };

export class FakeBackend implements Backend {
  readonly kind = "fake" as const;
  private config: Config = defaultFakeConfig();
  private readonly now: () => Timestamp;
  private readonly useTimer: boolean;
  private readonly generator: MetricGenerator;
  private readonly history = new SeriesStore(20_000, HISTORY_MS);
  private readonly engine = new FakeRuleEngine();
  private readonly listeners = new Set<(tick: TickView) => void>();
  private readonly log: LoggedAlert[] = [];
  private nextId = 1;
  private last: TickView | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private password: string | null = null;
  private pausedUntil: Timestamp | null = null;
  private autostart = false;

  constructor(options: FakeOptions = {}) {
    this.now = options.now ?? Date.now;
    this.useTimer = options.timer ?? true;
    this.generator = new MetricGenerator(options.seed ?? 7);
    const now = this.now();
    this.seedLog(now);
    const step = this.intervalMs();
    for (let t = now - 10 * MIN; t < now; t += step) this.tick(t);
  }

  private intervalMs(): number {
    const d = parseDuration(this.config.sampling.interval);
    return typeof d === "number" && d >= 100 ? d : 1000;
  }

  private record(event: AlertEvent): void {
    this.log.push({ id: this.nextId++, event });
  }

  /** A past week of alerts, so the log has something to show from the start. */
  private seedLog(now: Timestamp): void {
    const [busy, saturated, memory, root] = this.config.rules;
    const past: [typeof busy, AlertEvent["state"], number, number][] = [
      [root, "firing", 6 * 24 * 60, 92.3],
      [root, "resolved", 6 * 24 * 60 - 180, 87.5],
      [saturated, "firing", 2 * 24 * 60, 94.1],
      [saturated, "resolved", 2 * 24 * 60 - 12, 71.4],
      [memory, "firing", 30 * 60, 91.2],
      [memory, "resolved", 30 * 60 - 25, 83.9],
      [busy, "pending", 20, 86.0],
    ];
    for (const [rule, state, minutesAgo, value] of past) {
      this.record({
        rule: rule.name, state, metric: rule.metric, value, threshold: rule.threshold,
        clear_threshold: rule.clear_threshold ?? rule.threshold, op: rule.op,
        aggregate: rule.aggregate, window: rule.window, severity: rule.severity,
        at: now - minutesAgo * MIN, since: now - minutesAgo * MIN, coverage: 1, channels: [],
        notify: state !== "pending",
      });
    }
  }

  /** Advances the fake machine by one sample at `at` and tells every listener. */
  tick(at: Timestamp = this.now()): TickView {
    const values = this.generator.next(this.intervalMs());
    for (const [k, v] of Object.entries(values)) this.history.push(k, at, v);
    const { statuses, events } = this.engine.evaluate(this.config.rules, this.history, at, this.intervalMs());
    const muted = this.pausedUntil !== null && this.pausedUntil > at;
    for (const e of events) this.record(muted ? { ...e, notify: false } : e);
    this.last = { at, values, rules: statuses };
    for (const listener of this.listeners) listener(clone(this.last));
    return this.last;
  }

  private restartTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.useTimer && this.listeners.size > 0)
      this.timer = setInterval(() => this.tick(), this.intervalMs());
  }

  async getConfig(): Promise<Config> {
    return clone(this.config);
  }

  async validateConfig(config: Config): Promise<FieldError[]> {
    return validateConfig(config);
  }

  async setConfig(config: Config): Promise<Config> {
    const errors = validateConfig(config);
    if (errors.length > 0) {
      const message = errors.length === 1 ? "the config has 1 problem" : `the config has ${errors.length} problems`;
      throw fail("invalid_config", message, errors);
    }
    this.config = clone(config);
    this.engine.retain(config.rules.map((r) => r.name));
    this.restartTimer();
    return clone(this.config);
  }

  async getSnapshot(): Promise<TickView | null> {
    return this.last ? clone(this.last) : null;
  }

  async streamTicks(onTick: (tick: TickView) => void): Promise<Unsubscribe> {
    this.listeners.add(onTick);
    if (this.timer === null) this.restartTimer();
    return () => {
      this.listeners.delete(onTick);
      if (this.listeners.size === 0) this.restartTimer();
    };
  }

  async getRecent(): Promise<MetricSeries[]> {
    const cutoff = this.now() - 10 * MIN;
    return this.history.keys().map((metric) => {
      const { times, values } = this.history.get(metric)!.toArrays();
      const from = times.findIndex((t) => t > cutoff);
      const start = from < 0 ? times.length : from;
      return { metric, times: times.slice(start), values: values.slice(start) };
    });
  }

  async getAlerts(since: Timestamp | null, limit: number): Promise<LoggedAlert[]> {
    return this.log
      .filter((a) => since === null || a.event.at >= since)
      .sort((a, b) => b.event.at - a.event.at || Number(b.id - a.id))
      .slice(0, Math.max(0, limit))
      .map((a) => ({ id: a.id, event: clone(a.event) }));
  }

  async getStatus(): Promise<Status> {
    const now = this.now();
    const rules = this.last?.rules ?? [];
    const firing = rules.filter((r) => r.phase.phase === "firing");
    const paused = this.pausedUntil !== null && this.pausedUntil > now ? this.pausedUntil : null;
    const overall = firing.some((r) => r.severity === "critical")
      ? "critical"
      : firing.length > 0
        ? "warning"
        : paused !== null
          ? "paused"
          : "ok";
    const channel = (name: string, enabled: boolean) => ({
      channel: name, enabled, last_ok_at: enabled ? now - 42 * MIN : null, last_error_at: null,
      last_error: null, consecutive_failures: 0,
    });
    return {
      overall, paused_until: paused, firing: firing.map((r) => r.name),
      channels: [channel("desktop", this.config.desktop.enabled), channel("email", this.config.email.enabled)],
      outbox_pending: 0, outbox_failed: 0,
      self_cpu_pct: 0.2 + ((now / 1000) % 7) / 20, self_rss_bytes: 38 * 1024 * 1024,
      smtp_password_set: this.password !== null,
      config_error: null,
      config_path: "~/.config/lookout/config.toml (fake backend)",
      data_dir: "~/.local/share/lookout (fake backend)",
    };
  }

  async testNotification(): Promise<string> {
    if (!this.config.desktop.enabled)
      throw fail("desktop", "desktop notifications are disabled; turn them on and save first");
    return "Sent a test notification (fake backend: nothing is shown on screen).";
  }

  async testEmail(): Promise<string> {
    const e = this.config.email;
    if (!e.enabled) throw fail("email", "email is not enabled; turn it on and save first");
    if (e.host.includes("unreachable"))
      throw fail("email", `could not connect to '${e.host}': connection refused`);
    return `Sent a test email to ${e.to.join(", ")} through ${e.host} (${e.tls}; fake backend, nothing left this machine).`;
  }

  async setSmtpPassword(password: string): Promise<void> {
    if (password === "") throw fail("keyring", "an empty password; type the password, or remove the stored one");
    this.password = password;
  }

  async clearSmtpPassword(): Promise<void> {
    this.password = null;
  }

  async pauseAlerts(until: Timestamp | null): Promise<Status> {
    this.pausedUntil = until;
    return this.getStatus();
  }

  async getAutostart(): Promise<boolean> {
    return this.autostart;
  }

  async setAutostart(enabled: boolean): Promise<boolean> {
    this.autostart = enabled;
    return this.autostart;
  }
}
