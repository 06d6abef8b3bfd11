// The words of the status bar under every view: each channel's health (off, ok, failing with
// its last error), the outbox, Lookout's own CPU and memory, and the one sentence said to
// screen readers when a channel starts or stops failing (never the figures that change by the
// second). Pure apart from t() and the formatters.
import type { ChannelStatus } from "./bindings/ChannelStatus";
import type { Timestamp } from "./bindings/Timestamp";
import { formatBytes, formatList, formatPercent, formatRelative } from "./format";
import { t } from "./i18n.svelte";
import { channelLabel } from "./labels";

/** A channel's health: turned off, working, or failing since its last success. */
export type Health = "off" | "ok" | "failing";

export function channelHealth(ch: ChannelStatus): Health {
  if (!ch.enabled) return "off";
  return ch.consecutive_failures > 0 ? "failing" : "ok";
}

/** "Email: failing (3×)", "Desktop: ok", "Email: off". */
export function channelText(ch: ChannelStatus): string {
  const health = channelHealth(ch);
  const state =
    health === "off"
      ? t("ui-channel-off")
      : health === "failing"
        ? t("ui-channel-failing", { count: ch.consecutive_failures })
        : t("ui-channel-ok");
  return t("ui-statusbar-channel", { channel: channelLabel(ch.channel), state });
}

/** "Last error 2 min ago: connection refused", for a failing channel; null otherwise. */
export function channelErrorText(ch: ChannelStatus, now: Timestamp): string | null {
  if (channelHealth(ch) !== "failing" || !ch.last_error) return null;
  return ch.last_error_at === null
    ? t("ui-statusbar-channel-error-undated", { error: ch.last_error })
    : t("ui-statusbar-channel-error", { ago: formatRelative(ch.last_error_at, now), error: ch.last_error });
}

/** "Outbox: 2 waiting", with the emails given up when there are any. */
export function outboxText(pending: number, failed: number): string {
  return failed > 0 ? t("ui-statusbar-outbox-failed", { pending, failed }) : t("ui-statusbar-outbox", { pending });
}

/** "Lookout: 0.3 % CPU · 38.0 MiB" (CPU as a share of one core). */
export function selfText(cpuPct: number | null, rssBytes: number | null): string {
  return t("ui-statusbar-self", { cpu: formatPercent(cpuPct), memory: formatBytes(rssBytes) });
}

/**
 * What the status bar's live region holds: which channels fail, or, once some failed, that
 * every channel works again; empty before anything failed. It changes only when a channel's
 * health does, so screen readers hear it then and not on every refresh.
 */
export function announcement(channels: readonly ChannelStatus[], someFailed: boolean): string {
  const failing = channels.filter((c) => channelHealth(c) === "failing").map((c) => channelLabel(c.channel));
  if (failing.length > 0) return t("ui-statusbar-announce-failing", { channels: formatList(failing) });
  return someFailed ? t("ui-statusbar-announce-ok") : "";
}
