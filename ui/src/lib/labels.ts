// Words shown for states, phases and metric keys.
import type { AlertPhase } from "./bindings/AlertPhase";
import type { EventKind } from "./bindings/EventKind";
import type { OverallState } from "./bindings/OverallState";

export function overallLabel(s: OverallState): string {
  switch (s) {
    case "ok":
      return "All clear";
    case "warning":
      return "Warning";
    case "critical":
      return "Critical";
    case "paused":
      return "Paused";
    case "channel_failing":
      return "Delivery failing";
  }
}

export function phaseLabel(p: AlertPhase["phase"]): string {
  return p === "inactive" ? "OK" : p === "pending" ? "Pending" : "Firing";
}

export function eventLabel(k: EventKind): string {
  return { pending: "Pending", firing: "Firing", reminder: "Reminder", resolved: "Resolved" }[k];
}

/** "coretemp_package_id_0" -> "Coretemp package id 0". */
export function sensorLabel(sensor: string): string {
  const words = sensor.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A metric key in words: "cpu.core.3" -> "CPU core 3", "disk./home.used_pct" -> "Disk /home". */
export function metricLabel(key: string): string {
  if (key === "cpu.total") return "CPU";
  if (key === "mem.used_pct") return "Memory used";
  if (key === "mem.used_bytes") return "Memory used (bytes)";
  if (key === "swap.used_pct") return "Swap used";
  const load = /^load\.(1|5|15)$/.exec(key);
  if (load) return `Load (${load[1]} min)`;
  const core = /^cpu\.core\.(\d+)$/.exec(key);
  if (core) return `CPU core ${core[1]}`;
  const disk = /^disk\.(.+)\.used_pct$/.exec(key);
  if (disk) return `Disk ${disk[1]}`;
  const net = /^net\.(.+)\.(rx|tx)_bps$/.exec(key);
  if (net) return `${net[1]} ${net[2] === "rx" ? "received" : "sent"}`;
  if (key.startsWith("temp.")) return sensorLabel(key.slice(5));
  return key;
}
