// Sorts a snapshot's keys into what the overview draws: cores, disks, interfaces, sensors,
// and the batteries, disks' I/O, GPUs and probes the machine has (none when it has none).
import type { Snapshot } from "./bindings/Snapshot";
import { DEVICE_FIELDS, POWER_AC, deviceKey, deviceMetric, type DeviceFamily, type DeviceField } from "./deviceKeys";

/** One battery, disk, GPU or probe: the key of each of its figures, and those in the snapshot. */
export type Device<F extends DeviceFamily> = {
  /** As in its keys: "BAT0", "nvme0n1", "0" (a GPU's number), "nas". */
  name: string;
  /** The key of each figure, whether the snapshot has it or not. */
  keys: Record<DeviceField<F>, string>;
  /** The figures the snapshot has (a figure that could not be read is absent). */
  values: Partial<Record<DeviceField<F>, number>>;
};

export type Grouped = {
  cores: { index: number; pct: number }[];
  disks: { mount: string; key: string; pct: number }[];
  ifaces: { name: string; rxKey: string; txKey: string; rx: number | null; tx: number | null }[];
  temps: { sensor: string; key: string; celsius: number }[];
  batteries: Device<"battery">[];
  /** Physical disks' reads, writes and busy time (by device, not by mount). */
  diskio: Device<"diskio">[];
  /** In the system's order: by number. */
  gpus: Device<"gpu">[];
  probes: Device<"probe">[];
  /** power.ac: 1 on mains power, 0 on battery, null when not read. */
  ac: number | null;
};

/** A new device of `family` named `name`, with no figures yet. */
function newDevice<F extends DeviceFamily>(family: F, name: string): Device<F> {
  const fields: readonly DeviceField<F>[] = DEVICE_FIELDS[family];
  const keys = Object.fromEntries(fields.map((f) => [f, deviceMetric(family, name, f)])) as Record<DeviceField<F>, string>;
  return { name, keys, values: {} };
}

export function groupSnapshot(values: Snapshot): Grouped {
  const out: Grouped = { cores: [], disks: [], ifaces: [], temps: [], batteries: [], diskio: [], gpus: [], probes: [], ac: null };
  const ifaces = new Map<string, Grouped["ifaces"][number]>();
  const devices: { [F in DeviceFamily]: Map<string, Device<F>> } = {
    battery: new Map(), diskio: new Map(), gpu: new Map(), probe: new Map(),
  };
  for (const [key, v] of Object.entries(values)) {
    let m: RegExpExecArray | null;
    const device = deviceKey(key);
    if (device) {
      const family = devices[device.family] as Map<string, Device<DeviceFamily>>;
      const entry = family.get(device.name) ?? newDevice(device.family, device.name);
      (entry.values as Record<string, number>)[device.field] = v;
      family.set(device.name, entry);
    } else if (key === POWER_AC) out.ac = v;
    else if ((m = /^cpu\.core\.(\d+)$/.exec(key))) out.cores.push({ index: Number(m[1]), pct: v });
    else if ((m = /^disk\.(.+)\.used_pct$/.exec(key))) out.disks.push({ mount: m[1], key, pct: v });
    else if ((m = /^net\.(.+)\.(rx|tx)_bps$/.exec(key))) {
      const name = m[1];
      const entry = ifaces.get(name) ?? {
        name, rxKey: `net.${name}.rx_bps`, txKey: `net.${name}.tx_bps`, rx: null, tx: null,
      };
      if (m[2] === "rx") entry.rx = v;
      else entry.tx = v;
      ifaces.set(name, entry);
    } else if (key.startsWith("temp.")) out.temps.push({ sensor: key.slice(5), key, celsius: v });
  }
  out.cores.sort((a, b) => a.index - b.index);
  out.disks.sort((a, b) => a.mount.localeCompare(b.mount));
  out.ifaces = [...ifaces.values()].sort((a, b) => a.name.localeCompare(b.name));
  out.temps.sort((a, b) => a.sensor.localeCompare(b.sensor));
  const byName = <F extends DeviceFamily>(family: F) => [...devices[family].values()].sort((a, b) => a.name.localeCompare(b.name));
  out.batteries = byName("battery");
  out.diskio = byName("diskio");
  out.gpus = [...devices.gpu.values()].sort((a, b) => Number(a.name) - Number(b.name));
  out.probes = byName("probe");
  return out;
}

/**
 * The keys a device's chart draws: those of the first of `choices` of which the snapshot has
 * some figure (only the ones it has), or else every key of the first choice (a chart that
 * waits for readings). A GPU charts its busy time and VRAM, or its temperature if that is all.
 */
export function chartKeys<F extends DeviceFamily>(device: Device<F>, ...choices: DeviceField<F>[][]): string[] {
  for (const fields of choices) {
    const present = fields.filter((f) => device.values[f] !== undefined);
    if (present.length) return present.map((f) => device.keys[f]);
  }
  return (choices[0] ?? []).map((f) => device.keys[f]);
}
