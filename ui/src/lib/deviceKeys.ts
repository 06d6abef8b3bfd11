// The metric keys of things a machine may or may not have, each with a name and figures of
// its own: batteries (`battery.<name>.pct`), physical disks' I/O (`diskio.<device>.read_bps`),
// GPUs (`gpu.<n>.busy_pct`) and reachability probes (`probe.<name>.latency_ms`), as
// lookout-core's MetricFamily parses them; and `power.ac`, which stands alone.

/** The figures of each family, in the order the window shows them. */
export const DEVICE_FIELDS = {
  battery: ["pct", "charging", "time_to_empty_s"],
  diskio: ["read_bps", "write_bps", "busy_pct"],
  gpu: ["busy_pct", "vram_used_pct", "temp"],
  probe: ["up", "latency_ms"],
} as const;

export type DeviceFamily = keyof typeof DEVICE_FIELDS;
export type DeviceField<F extends DeviceFamily> = (typeof DEVICE_FIELDS)[F][number];

/** One key of a device: its family, the device's name (a GPU's number) and the figure. */
export type DeviceKey = { [F in DeviceFamily]: { family: F; name: string; field: DeviceField<F> } }[DeviceFamily];

/** 1 on mains (or USB) power, 0 on battery. */
export const POWER_AC = "power.ac";

const FAMILIES = Object.keys(DEVICE_FIELDS) as DeviceFamily[];

/**
 * `key` as a device's figure; null when it is none. As in Lookout, the name is everything
 * between the family and the last dot, may not hold a dot, and a GPU's is a number.
 */
export function deviceKey(key: string): DeviceKey | null {
  for (const family of FAMILIES) {
    if (!key.startsWith(`${family}.`)) continue;
    const rest = key.slice(family.length + 1);
    const dot = rest.lastIndexOf(".");
    const [name, field] = [rest.slice(0, dot), rest.slice(dot + 1)];
    if (dot <= 0 || name.includes(".") || (family === "gpu" && !/^\d+$/.test(name))) return null;
    const fields: readonly string[] = DEVICE_FIELDS[family];
    return fields.includes(field) ? ({ family, name, field } as DeviceKey) : null;
  }
  return null;
}

/** The key of figure `field` of device `name` of `family`: ("gpu", "0", "temp") -> "gpu.0.temp". */
export function deviceMetric<F extends DeviceFamily>(family: F, name: string, field: DeviceField<F>): string {
  return `${family}.${name}.${field}`;
}
