// Formats readings for people: "12.3 %", "3.4 GiB", "1.2 MB/s", "0.42", "54 °C", times and spans.
import type { Op } from "./bindings/Op";
import type { Timestamp } from "./bindings/Timestamp";

/** What a metric measures, decided from its key (see lookout-core's metric.rs). */
export type Unit = "percent" | "bytes" | "rate" | "load" | "celsius";

export function unitOf(metric: string): Unit {
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

/** One decimal below 100, none above: "12.3 %", "100 %". */
export function formatPercent(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return `${Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)} %`;
}

function scaled(v: number, base: number, units: string[]): string {
  let i = 0;
  let x = Math.abs(v);
  while (x >= base && i < units.length - 1) {
    x /= base;
    i += 1;
  }
  const sign = v < 0 ? "-" : "";
  const digits = i === 0 || x >= 100 ? 0 : 1;
  return `${sign}${x.toFixed(digits)} ${units[i]}`;
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
  return finite(v) ? v.toFixed(2) : DASH;
}

export function formatCelsius(v: number | null | undefined): string {
  return finite(v) ? `${v.toFixed(0)} °C` : DASH;
}

/** A reading of `metric` in its own unit. */
export function formatMetric(metric: string, v: number | null | undefined): string {
  switch (unitOf(metric)) {
    case "bytes":
      return formatBytes(v);
    case "rate":
      return formatRate(v);
    case "load":
      return formatLoad(v);
    case "celsius":
      return formatCelsius(v);
    default:
      return formatPercent(v);
  }
}

/** A threshold comparison as people read it: "> 80 %". */
export function formatCondition(metric: string, op: Op, threshold: number): string {
  return `${op} ${formatMetric(metric, threshold)}`;
}

/** A coverage fraction as a percentage: 0.873 -> "87 %". */
export function formatCoverage(fraction: number | null | undefined): string {
  return finite(fraction) ? `${Math.round(fraction * 100)} %` : DASH;
}

/** A span of time, coarse: "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "5 min ago" / "in 42 min" relative to `now`. */
export function formatRelative(at: Timestamp, now: Timestamp): string {
  const diff = at - now;
  if (Math.abs(diff) < 1000) return "now";
  return diff < 0 ? `${formatSpan(-diff)} ago` : `in ${formatSpan(diff)}`;
}

/** A date formatter in the user's locale, or in en-US when the runtime's locale is unusable. */
function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(undefined, options);
  } catch {
    return new Intl.DateTimeFormat("en-US", options);
  }
}

const timeFmt = dateFormat({ hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dateTimeFmt = dateFormat({ month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** Clock time for today's instants, date and time for older ones. */
export function formatTime(at: Timestamp, now: Timestamp = Date.now()): string {
  const a = new Date(at);
  const n = new Date(now);
  const sameDay =
    a.getFullYear() === n.getFullYear() && a.getMonth() === n.getMonth() && a.getDate() === n.getDate();
  return sameDay ? timeFmt.format(a) : dateTimeFmt.format(a);
}
