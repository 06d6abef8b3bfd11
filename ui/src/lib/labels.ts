// Words shown for states, phases, severities, channels, aggregates and metric keys, in the
// window's language. Each enum maps to literal message ids (the catalog tests find them).
import type { Aggregate } from "./bindings/Aggregate";
import type { AlertPhase } from "./bindings/AlertPhase";
import type { EventKind } from "./bindings/EventKind";
import type { Op } from "./bindings/Op";
import type { OverallState } from "./bindings/OverallState";
import type { Severity } from "./bindings/Severity";
import { POWER_AC, deviceKey, type DeviceFamily, type DeviceField } from "./deviceKeys";
import { t } from "./i18n.svelte";

const OVERALL: Record<OverallState, string> = {
  ok: "ui-overall-ok",
  warning: "ui-overall-warning",
  critical: "ui-overall-critical",
  paused: "ui-overall-paused",
  channel_failing: "ui-overall-channel-failing",
};

const PHASE: Record<AlertPhase["phase"], string> = {
  inactive: "ui-phase-inactive",
  pending: "ui-phase-pending",
  firing: "ui-phase-firing",
};

const EVENT: Record<EventKind, string> = {
  pending: "ui-event-pending",
  firing: "ui-event-firing",
  reminder: "ui-event-reminder",
  resolved: "ui-event-resolved",
  gave_up: "ui-event-gave-up",
};

const SEVERITY: Record<Severity, string> = {
  warning: "ui-severity-warning",
  critical: "ui-severity-critical",
};

// The aggregate names Lookout's notifications use too.
const AGGREGATE: Record<Aggregate, string> = {
  all: "aggregate-all",
  avg: "aggregate-avg",
  min: "aggregate-min",
  max: "aggregate-max",
  p95: "aggregate-p95",
};

// The comparisons in words, as Lookout's notifications say them.
const OP: Record<Op, string> = {
  ">": "op-gt",
  ">=": "op-ge",
  "<": "op-lt",
  "<=": "op-le",
};

const CHANNEL: Record<string, string> = {
  desktop: "ui-channel-desktop",
  email: "ui-channel-email",
};

export function overallLabel(s: OverallState): string {
  return t(OVERALL[s]);
}

export function phaseLabel(p: AlertPhase["phase"]): string {
  return t(PHASE[p]);
}

export function eventLabel(k: EventKind): string {
  return t(EVENT[k]);
}

export function severityLabel(s: Severity): string {
  return SEVERITY[s] ? t(SEVERITY[s]) : s;
}

export function aggregateLabel(a: Aggregate): string {
  return AGGREGATE[a] ? t(AGGREGATE[a]) : a;
}

/** ">" -> "above" */
export function opLabel(op: Op): string {
  return OP[op] ? t(OP[op]) : op;
}

/** "desktop" -> "Desktop"; a channel this window does not know shows as named. */
export function channelLabel(channel: string): string {
  return CHANNEL[channel] ? t(CHANNEL[channel]) : channel;
}

/** "coretemp_package_id_0" -> "Coretemp package id 0" (a sensor's own name, not translated). */
export function sensorLabel(sensor: string): string {
  const words = sensor.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The words of each figure of an app watch. */
const APP_FIELD_LABELS: Record<string, string> = {
  running: "ui-app-field-running",
  cpu_pct: "ui-app-field-cpu-pct",
  rss_bytes: "ui-app-field-rss-bytes",
  mem_pct: "ui-app-field-mem-pct",
  threads: "ui-app-field-threads",
  fds: "ui-app-field-fds",
  io_read_bps: "ui-app-field-io-read-bps",
  io_write_bps: "ui-app-field-io-write-bps",
  restarts: "ui-app-field-restarts",
  uptime_s: "ui-app-field-uptime-s",
};

/** The words of each figure of a battery, disk, GPU and probe (each names the device). */
const DEVICE_LABELS: { [F in DeviceFamily]: Record<DeviceField<F>, string> } = {
  battery: { pct: "ui-metric-battery-pct", charging: "ui-metric-battery-charging", time_to_empty_s: "ui-metric-battery-time-to-empty" },
  diskio: { read_bps: "ui-metric-diskio-read", write_bps: "ui-metric-diskio-write", busy_pct: "ui-metric-diskio-busy" },
  gpu: { busy_pct: "ui-metric-gpu-busy", vram_used_pct: "ui-metric-gpu-vram", temp: "ui-metric-gpu-temp" },
  probe: { up: "ui-metric-probe-up", latency_ms: "ui-metric-probe-latency" },
};

/**
 * A metric key in words: "cpu.core.3" -> "CPU core 3", "disk./home.used_pct" -> "Disk /home",
 * "battery.BAT0.pct" -> "Battery BAT0 charge", "diskio.nvme0n1.write_bps" -> "nvme0n1 write".
 */
export function metricLabel(key: string): string {
  if (key === "cpu.total") return t("ui-metric-cpu");
  if (key === POWER_AC) return t("ui-metric-power-ac");
  const device = deviceKey(key);
  if (device) return t((DEVICE_LABELS[device.family] as Record<string, string>)[device.field], { name: device.name });
  if (key === "mem.used_pct") return t("ui-metric-mem-used-pct");
  if (key === "mem.used_bytes") return t("ui-metric-mem-used-bytes");
  if (key === "swap.used_pct") return t("ui-metric-swap-used-pct");
  const load = /^load\.(1|5|15)$/.exec(key);
  if (load) return t("ui-metric-load", { minutes: Number(load[1]) });
  const core = /^cpu\.core\.(\d+)$/.exec(key);
  if (core) return t("ui-metric-core", { index: core[1] });
  const disk = /^disk\.(.+)\.used_pct$/.exec(key);
  if (disk) return t("ui-metric-disk", { mount: disk[1] });
  const net = /^net\.(.+)\.(rx|tx)_bps$/.exec(key);
  if (net) return net[2] === "rx" ? t("ui-metric-net-rx", { iface: net[1] }) : t("ui-metric-net-tx", { iface: net[1] });
  if (key.startsWith("temp.")) return sensorLabel(key.slice(5));
  const app = /^app\.([^.]+)\.([a-z_]+)$/.exec(key);
  const field = app ? APP_FIELD_LABELS[app[2]] : undefined;
  if (app && field) return t("ui-metric-app", { app: app[1], field: t(field) });
  return key;
}
