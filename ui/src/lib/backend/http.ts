// The Backend over the web dashboard (`lookout run --listen ADDR --dashboard`): the same
// commands as the tray's, POSTed as JSON to /api/<command> on the server that sent the page,
// and live ticks as server-sent events. The login cookie goes along; nothing here holds it.
import type { Config } from "../bindings/Config";
import type { RuleConfig } from "../bindings/RuleConfig";
import type { TickView } from "../bindings/TickView";
import type { Timestamp } from "../bindings/Timestamp";
import { toApiError } from "../fieldErrors";
import type { Commands } from "./commands";
import type { Backend, Unsubscribe } from "./types";

type HttpCommands = Omit<Commands, "stream_ticks">;

/** The only place that calls fetch: typed by command, errors become ApiError. */
export async function call<C extends keyof HttpCommands>(
  command: C,
  ...args: HttpCommands[C][0] extends undefined ? [] : [HttpCommands[C][0]]
): Promise<HttpCommands[C][1]> {
  let response: Response;
  try {
    response = await fetch(`/api/${command}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(args[0] ?? null),
      credentials: "same-origin",
    });
  } catch (e) {
    throw toApiError(e);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw toApiError(body ?? `HTTP ${response.status} ${response.statusText}`);
  }
  return body as HttpCommands[C][1];
}

export class HttpBackend implements Backend {
  readonly kind = "http" as const;

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
  /** The tray logs the window's first chart; a browser's is its own business. */
  reportFirstChart = () => {};

  async streamTicks(onTick: (tick: TickView) => void): Promise<Unsubscribe> {
    const source = new EventSource("/api/ticks");
    source.addEventListener("tick", (event) => {
      onTick(JSON.parse((event as MessageEvent<string>).data) as TickView);
    });
    // EventSource reconnects on its own after a dropped connection.
    return () => source.close();
  }
}
