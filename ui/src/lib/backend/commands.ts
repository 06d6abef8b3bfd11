// The commands the window calls, with their arguments and results: the tray's Tauri commands
// and the web dashboard's /api/<command> take the same names and the same JSON.
import type { Channel } from "@tauri-apps/api/core";
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

/** Every command, with its arguments and result. */
export type Commands = {
  get_config: [undefined, Config];
  set_config: [{ config: Config }, Config];
  validate_config: [{ config: Config }, FieldError[]];
  get_snapshot: [undefined, TickView | null];
  stream_ticks: [{ onTick: Channel<TickView> }, void];
  get_recent: [undefined, MetricSeries[]];
  get_alerts: [{ since: Timestamp | null; limit: number }, LoggedAlert[]];
  get_history: [{ metric: string; from: Timestamp; to: Timestamp; points: number }, HistorySeries];
  backtest_rule: [{ rule: RuleConfig; from: Timestamp; to: Timestamp }, Backtest];
  get_status: [undefined, Status];
  test_notification: [undefined, string];
  test_email: [undefined, string];
  set_smtp_password: [{ password: string }, void];
  clear_smtp_password: [undefined, void];
  test_channel: [{ name: string }, string];
  set_channel_secret: [{ name: string; secret: string }, void];
  clear_channel_secret: [{ name: string }, void];
  get_channel_secrets: [undefined, ChannelSecretState[]];
  pause_alerts: [{ until: Timestamp | null }, Status];
  list_processes: [undefined, ProcessEntry[]];
  get_autostart: [undefined, boolean];
  set_autostart: [{ enabled: boolean }, boolean];
  get_deliveries: [{ limit: number }, DeliveryLog];
  send_now: [{ outboxId: number }, void];
  get_storage_usage: [undefined, StorageUsage];
};


/** The commands a request-answer transport carries (ticks stream their own way). */
export type CallableCommands = Omit<Commands, "stream_ticks">;

/** Sends one command and answers its result; rejects with an ApiError. */
export type Call = <C extends keyof CallableCommands>(
  command: C,
  ...args: CallableCommands[C][0] extends undefined ? [] : [CallableCommands[C][0]]
) => Promise<CallableCommands[C][1]>;

/** Every Backend method that is one command, over `call` (the tray's IPC or HTTP). */
export function commandMethods(call: Call) {
  return {
    getConfig: () => call("get_config"),
    setConfig: (config: Config) => call("set_config", { config }),
    validateConfig: (config: Config) => call("validate_config", { config }),
    getSnapshot: () => call("get_snapshot"),
    getRecent: () => call("get_recent"),
    getAlerts: (since: Timestamp | null, limit: number) => call("get_alerts", { since, limit }),
    getHistory: (metric: string, from: Timestamp, to: Timestamp, points: number) =>
      call("get_history", { metric, from, to, points }),
    backtestRule: (rule: RuleConfig, from: Timestamp, to: Timestamp) => call("backtest_rule", { rule, from, to }),
    getStatus: () => call("get_status"),
    testNotification: () => call("test_notification"),
    testEmail: () => call("test_email"),
    setSmtpPassword: (password: string) => call("set_smtp_password", { password }),
    clearSmtpPassword: () => call("clear_smtp_password"),
    testChannel: (name: string) => call("test_channel", { name }),
    setChannelSecret: (name: string, secret: string) => call("set_channel_secret", { name, secret }),
    clearChannelSecret: (name: string) => call("clear_channel_secret", { name }),
    getChannelSecrets: () => call("get_channel_secrets"),
    pauseAlerts: (until: Timestamp | null) => call("pause_alerts", { until }),
    listProcesses: () => call("list_processes"),
    getAutostart: () => call("get_autostart"),
    setAutostart: (enabled: boolean) => call("set_autostart", { enabled }),
    getDeliveries: (limit: number) => call("get_deliveries", { limit }),
    sendNow: (outboxId: number) => call("send_now", { outboxId }),
    getStorageUsage: () => call("get_storage_usage"),
  };
}
