// The one interface between the window and Lookout's monitor; every backend call goes here.
import type { Backtest } from "../bindings/Backtest";
import type { ChannelSecretState } from "../bindings/ChannelSecretState";
import type { Config } from "../bindings/Config";
import type { DeliveryLog } from "../bindings/DeliveryLog";
import type { FieldError } from "../bindings/FieldError";
import type { HistorySeries } from "../bindings/HistorySeries";
import type { LoggedAlert } from "../bindings/LoggedAlert";
import type { MetricSeries } from "../bindings/MetricSeries";
import type { ProcessEntry } from "../bindings/ProcessEntry";
import type { RuleConfig } from "../bindings/RuleConfig";
import type { Status } from "../bindings/Status";
import type { StorageUsage } from "../bindings/StorageUsage";
import type { TickView } from "../bindings/TickView";
import type { Timestamp } from "../bindings/Timestamp";

/** Stops a tick stream. */
export type Unsubscribe = () => void;

/**
 * What the window can ask of Lookout. Every method rejects with an ApiError
 * ({code, message, fields?}); match on `code`, never on the message text.
 */
export interface Backend {
  /** Which implementation this is, for the footer and for tests. */
  readonly kind: "tauri" | "http" | "fake";
  getConfig(): Promise<Config>;
  /** Validates and saves; rejects with code "invalid_config" and every field error. */
  setConfig(config: Config): Promise<Config>;
  /** Field errors of a config without saving it; empty means valid. */
  validateConfig(config: Config): Promise<FieldError[]>;
  getSnapshot(): Promise<TickView | null>;
  /** Calls onTick for every tick from now on. */
  streamTicks(onTick: (tick: TickView) => void): Promise<Unsubscribe>;
  /** Recent readings of each sampled metric, oldest first. */
  getRecent(): Promise<MetricSeries[]>;
  /**
   * One metric's recorded history over [from, to) in at most `points` points, from the tier
   * that fits; a point whose values are null is a gap. Rejects with "bad_request" for an
   * unknown metric or an empty range.
   */
  getHistory(metric: string, from: Timestamp, to: Timestamp, points: number): Promise<HistorySeries>;
  /**
   * A rule (a draft from the editor, saved or not) replayed over [from, to) of the history.
   * Rejects with "invalid_config" and the rule's field errors (paths `rules[0]...`).
   */
  backtestRule(rule: RuleConfig, from: Timestamp, to: Timestamp): Promise<Backtest>;
  /** The alert log, newest first. */
  getAlerts(since: Timestamp | null, limit: number): Promise<LoggedAlert[]>;
  getStatus(): Promise<Status>;
  /** Sends a desktop notification; resolves with a sentence saying what happened. */
  testNotification(): Promise<string>;
  /** Sends an email with the saved settings; resolves with a sentence saying what happened. */
  testEmail(): Promise<string>;
  /** Stores the SMTP password (write-only: nothing ever returns it). */
  setSmtpPassword(password: string): Promise<void>;
  clearSmtpPassword(): Promise<void>;
  /**
   * Sends a test message on the saved push channel `name` now; resolves with the service's
   * answer ("HTTP 200: ..."). Rejects with "channel" and the exact error when it was not
   * delivered, "bad_request" when the saved config has no such channel.
   */
  testChannel(name: string): Promise<string>;
  /**
   * Stores the secret of the saved push channel `name` (its token or webhook URL) in the
   * keyring; write-only: nothing ever returns it. Rejects with "forbidden" when the channel
   * reads its secret from `secret_file`, "bad_request" when the saved config has no such channel.
   */
  setChannelSecret(name: string, secret: string): Promise<void>;
  /** Removes the stored secret of the saved push channel `name`. */
  clearChannelSecret(name: string): Promise<void>;
  /** Whether each saved push channel has its secret (never the secrets). */
  getChannelSecrets(): Promise<ChannelSecretState[]>;
  /** Mutes notifications until then; null resumes. */
  pauseAlerts(until: Timestamp | null): Promise<Status>;
  /** Every running process, busiest first (for the "add a watch" picker). */
  listProcesses(): Promise<ProcessEntry[]>;
  getAutostart(): Promise<boolean>;
  setAutostart(enabled: boolean): Promise<boolean>;
  /** The delivery log: the latest `limit` attempts, newest first, and every email still waiting. */
  getDeliveries(limit: number): Promise<DeliveryLog>;
  /**
   * Sends a waiting email now instead of at its next attempt. Rejects with "bad_request" when
   * no message with that id is waiting (already sent, given up, or being sent).
   */
  sendNow(outboxId: number): Promise<void>;
  /** Tells Lookout the window drew its first chart (it logs the window's opening time). */
  reportFirstChart(): void;
  /** The disk the database and its history use now. */
  getStorageUsage(): Promise<StorageUsage>;
}
