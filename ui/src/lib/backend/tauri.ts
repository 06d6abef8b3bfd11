// The Backend over Tauri commands (snake_case names; Tauri maps camelCase argument keys to
// the Rust parameters). Rejections are normalised to ApiError.
import { Channel, invoke } from "@tauri-apps/api/core";
import { emit } from "@tauri-apps/api/event";
import type { Config } from "../bindings/Config";
import type { RuleConfig } from "../bindings/RuleConfig";
import type { TickView } from "../bindings/TickView";
import type { Timestamp } from "../bindings/Timestamp";
import { toApiError } from "../fieldErrors";
import type { Commands } from "./commands";
import type { Backend, Unsubscribe } from "./types";

/** The only place that calls invoke: typed by command, errors become ApiError. */
async function call<C extends keyof Commands>(
  command: C,
  ...args: Commands[C][0] extends undefined ? [] : [Commands[C][0]]
): Promise<Commands[C][1]> {
  try {
    return await invoke<Commands[C][1]>(command, args[0] as Record<string, unknown> | undefined);
  } catch (e) {
    throw toApiError(e);
  }
}

export class TauriBackend implements Backend {
  readonly kind = "tauri" as const;

  getConfig = () => call("get_config");
  setConfig = (config: Config) => call("set_config", { config });
  validateConfig = (config: Config) => call("validate_config", { config });
  getSnapshot = () => call("get_snapshot");
  getRecent = () => call("get_recent");
  getAlerts = (since: Timestamp | null, limit: number) => call("get_alerts", { since, limit });
  getHistory = (metric: string, from: Timestamp, to: Timestamp, points: number) =>
    call("get_history", { metric, from, to, points });
  backtestRule = (rule: RuleConfig, from: Timestamp, to: Timestamp) =>
    call("backtest_rule", { rule, from, to });
  getStatus = () => call("get_status");
  testNotification = () => call("test_notification");
  testEmail = () => call("test_email");
  setSmtpPassword = (password: string) => call("set_smtp_password", { password });
  clearSmtpPassword = () => call("clear_smtp_password");
  testChannel = (name: string) => call("test_channel", { name });
  setChannelSecret = (name: string, secret: string) => call("set_channel_secret", { name, secret });
  clearChannelSecret = (name: string) => call("clear_channel_secret", { name });
  getChannelSecrets = () => call("get_channel_secrets");
  pauseAlerts = (until: Timestamp | null) => call("pause_alerts", { until });
  listProcesses = () => call("list_processes");
  getAutostart = () => call("get_autostart");
  setAutostart = (enabled: boolean) => call("set_autostart", { enabled });
  getDeliveries = (limit: number) => call("get_deliveries", { limit });
  sendNow = (outboxId: number) => call("send_now", { outboxId });
  getStorageUsage = () => call("get_storage_usage");
  reportFirstChart = () => void emit("lookout://first-chart", Math.round(performance.now())).catch(() => {});

  async streamTicks(onTick: (tick: TickView) => void): Promise<Unsubscribe> {
    let listening = true;
    const channel = new Channel<TickView>();
    channel.onmessage = (tick) => {
      if (listening) onTick(tick);
    };
    await call("stream_ticks", { onTick: channel });
    // The app stops pushing when the window closes; until then, drop what arrives.
    return () => {
      listening = false;
    };
  }
}
