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

