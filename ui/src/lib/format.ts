// Formats readings for people in the window's language: "12.3 %" / "12.3%", "3.4 GiB",
// "1.2 MB/s", "0.42", "54 °C", "12 ms", states like "charging" / "충전 중", clock times, and
// spans like "1 h 5 min" / "1시간 5분".
// Numbers go through Intl in the current language; words and unit placement through the
// catalogs. Byte and rate symbols (KiB, MB/s) are IEC/SI symbols, written alike in both.
import type { Op } from "./bindings/Op";
import type { Timestamp } from "./bindings/Timestamp";
import { POWER_AC, deviceKey, type DeviceFamily, type DeviceField } from "./deviceKeys";
import { dateTimeFormat, listFormat, numberFormat, t } from "./i18n.svelte";

/**
 * What a metric measures, decided from its key (see lookout-core's metric.rs). A flag is 1 or
 * 0 (charging or not, up or down); ms are milliseconds.
 */
export type Unit = "percent" | "bytes" | "rate" | "load" | "celsius" | "count" | "seconds" | "ms" | "flag";

/** The unit of each figure of an app watch (`app.<name>.<field>`). */
const APP_UNITS: Record<string, Unit> = {
  running: "count",
  cpu_pct: "percent",
  rss_bytes: "bytes",
  mem_pct: "percent",
  threads: "count",
  fds: "count",
  io_read_bps: "rate",
  io_write_bps: "rate",
  restarts: "count",
  uptime_s: "seconds",
};

/** The unit of each figure of a battery, disk, GPU and probe. */
const DEVICE_UNITS: { [F in DeviceFamily]: Record<DeviceField<F>, Unit> } = {
  battery: { pct: "percent", charging: "flag", time_to_empty_s: "seconds" },
  diskio: { read_bps: "rate", write_bps: "rate", busy_pct: "percent" },
  gpu: { busy_pct: "percent", vram_used_pct: "percent", temp: "celsius" },
  probe: { up: "flag", latency_ms: "ms" },
};

/** The words of each flag's two states, [when 1, when 0], by its key or `<family>.<field>`. */
const FLAG_WORDS: Record<string, [on: string, off: string]> = {
  "battery.charging": ["ui-flag-charging", "ui-flag-not-charging"],
  "probe.up": ["ui-flag-up", "ui-flag-down"],
  [POWER_AC]: ["ui-flag-on-ac", "ui-flag-on-battery"],
};

export function unitOf(metric: string): Unit {
  if (metric === POWER_AC) return "flag";
  const device = deviceKey(metric);
  if (device) return (DEVICE_UNITS[device.family] as Record<string, Unit>)[device.field];
  const app = /^app\.[^.]+\.([a-z_]+)$/.exec(metric);
  if (app) return APP_UNITS[app[1]] ?? "count";
  if (metric === "mem.used_bytes") return "bytes";
  if (metric.startsWith("load.")) return "load";
  if (metric.startsWith("temp.")) return "celsius";
  if (metric.startsWith("net.") && (metric.endsWith(".rx_bps") || metric.endsWith(".tx_bps")))
    return "rate";
  return "percent";
}

const DASH = "–";

function finite(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** `v` with exactly `digits` decimals in the current language. */
export function formatNumber(v: number, digits = 0): string {
  return numberFormat({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

/** One decimal below 100, none above: "12.3 %", "100 %" ("12.3%" in Korean). */
export function formatPercent(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return t("ui-unit-percent", { value: formatNumber(v, Math.abs(v) >= 100 ? 0 : 1) });
}

function scaled(v: number, base: number, units: string[]): string {
  let i = 0;
  let x = Math.abs(v);
  while (x >= base && i < units.length - 1) {
    x /= base;
    i += 1;
  }
  const digits = i === 0 || x >= 100 ? 0 : 1;
  return t("ui-unit-symbol", { value: formatNumber(v < 0 ? -x : x, digits), unit: units[i] });
}

/** Binary units, as memory is sold: "512 MiB", "3.4 GiB". */
export function formatBytes(v: number | bigint | null | undefined): string {
  const n = typeof v === "bigint" ? Number(v) : v;
  if (!finite(n)) return DASH;
  return scaled(n, 1024, ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]);
}

/** Bytes per second in decimal units, as networks are sold: "1.2 MB/s". */
export function formatRate(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return scaled(v, 1000, ["B/s", "kB/s", "MB/s", "GB/s", "TB/s"]);
}

export function formatLoad(v: number | null | undefined): string {
  return finite(v) ? formatNumber(v, 2) : DASH;
}

export function formatCelsius(v: number | null | undefined): string {
  return finite(v) ? t("ui-unit-celsius", { value: formatNumber(v, 0) }) : DASH;
}

/** Milliseconds: "0.4 ms", "12 ms", and "1.2 s" from a second up. */
export function formatMs(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  if (Math.abs(v) >= 1000) return formatElapsed(v);
  return t("ui-unit-ms", { value: formatNumber(v, Math.abs(v) < 10 ? 1 : 0) });
}

/** A number as short as it can be, to two decimals: 1, 0.5, 0.33. */
function plain(v: number): string {
  return numberFormat({ maximumFractionDigits: 2 }).format(v);
}

/**
 * A flag's reading in words: "charging" / "not charging", "up" / "down", "on AC" / "on
 * battery". Anything but 1 or 0 (an average over a window) is a plain number.
 */
export function formatFlag(metric: string, v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  const device = deviceKey(metric);
  const words = FLAG_WORDS[device ? `${device.family}.${device.field}` : metric];
  if (!words || (v !== 0 && v !== 1)) return plain(v);
  return t(v === 1 ? words[0] : words[1]);
}

/** A reading of `metric` in its own unit. */
export function formatMetric(metric: string, v: number | null | undefined): string {
  switch (unitOf(metric)) {
    case "ms":
      return formatMs(v);
    case "flag":
      return formatFlag(metric, v);
    case "bytes":
      return formatBytes(v);
    case "rate":
      return formatRate(v);
    case "load":
      return formatLoad(v);
    case "celsius":
      return formatCelsius(v);
    case "count":
      return finite(v) ? formatNumber(v, 0) : DASH;
    case "seconds":
      return finite(v) ? formatSpan(v * 1000) : DASH;
    default:
      return formatPercent(v);
  }
}

/**
 * A value as a level on `metric`'s scale (a threshold, an axis tick): as formatMetric, but a
 * flag's levels are numbers ("< 1", not "< charging").
 */
export function formatLevel(metric: string, v: number | null | undefined): string {
  if (unitOf(metric) !== "flag") return formatMetric(metric, v);
  return finite(v) ? plain(v) : DASH;
}

/** A threshold comparison as people read it: "> 80.0 %", "< 1" (a flag). */
export function formatCondition(metric: string, op: Op, threshold: number): string {
  return t("ui-condition", { op, threshold: formatLevel(metric, threshold) });
}

/** A coverage fraction as a percentage: 0.873 -> "87 %". */
export function formatCoverage(fraction: number | null | undefined): string {
  return finite(fraction) ? t("ui-unit-percent", { value: formatNumber(Math.round(fraction * 100)) }) : DASH;
}

/** A span of time, coarse: "45 s", "12 min", "3 h 5 min", "2 d 4 h" ("3시간 5분" in Korean). */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t("ui-span-seconds", { s });
  const min = Math.floor(s / 60);
  if (min < 60) return t("ui-span-minutes", { min });
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? t("ui-span-hours-minutes", { h, min: min % 60 }) : t("ui-span-hours", { h });
  const d = Math.floor(h / 24);
  return h % 24 ? t("ui-span-days-hours", { d, h: h % 24 }) : t("ui-span-days", { d });
}

/** How long something took: tenths of a second under 10 s ("2.4 s"), else as formatSpan. */
export function formatElapsed(ms: number): string {
  if (!finite(ms)) return DASH;
  const v = Math.max(0, ms);
  if (v < 9950) return t("ui-span-seconds", { s: formatNumber(v / 1000, 1) });
  return formatSpan(v);
}

/** Words as a list in the window's language: "Firing and Reminder" / "발생 및 다시 알림". */
export function formatList(items: readonly string[]): string {
  return listFormat().format(items);
}

const UNIT_MS: Record<string, number> = {
  ms: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/** A config duration ("1h", "90s", "1h 30m") in milliseconds; null when it is not one. */
export function parseDuration(text: string): number | null {
  const parts = text.trim().match(/\d+(?:\.\d+)?\s*[a-z]+/gi);
  if (!parts || parts.join("").replace(/\s/g, "") !== text.replace(/\s/g, "")) return null;
  let ms = 0;
  for (const part of parts) {
    const [, n, unit] = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(part) ?? [];
    const scale = unit ? UNIT_MS[unit.toLowerCase()] : undefined;
    if (!n || scale === undefined) return null;
    ms += Number(n) * scale;
  }
  return ms;
}

/** A config duration in words of the window's language ("1h" -> "1 h", "1시간"); text that is
 *  not a whole-second duration is shown as written. */
export function formatDurationText(text: string): string {
  const ms = parseDuration(text);
  return ms !== null && ms >= 1000 && ms % 1000 === 0 ? formatSpan(ms) : text;
}

/** "5 min ago" / "in 42 min" ("5분 전" / "42분 후") relative to `now`. */
export function formatRelative(at: Timestamp, now: Timestamp): string {
  const diff = at - now;
  if (Math.abs(diff) < 1000) return t("ui-relative-now");
  return diff < 0 ? t("ui-relative-ago", { span: formatSpan(-diff) }) : t("ui-relative-in", { span: formatSpan(diff) });
}

/** Clock time for today's instants, date and time for older ones (24-hour in Korean). */
export function formatTime(at: Timestamp, now: Timestamp = Date.now()): string {
  const a = new Date(at);
  const n = new Date(now);
  const sameDay =
    a.getFullYear() === n.getFullYear() && a.getMonth() === n.getMonth() && a.getDate() === n.getDate();
  return sameDay
    ? dateTimeFormat({ hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(a)
    : dateTimeFormat({ month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }).format(a);
}

/** A full date and time, for tooltips: "Jan 5, 2025, 02:05:09 PM" / "2025년 1월 5일 14:05:09". */
export function formatDateTime(at: Timestamp): string {
  return dateTimeFormat({ dateStyle: "medium", timeStyle: "medium" }).format(new Date(at));
}
