// Sorts a snapshot's keys into what the overview draws: cores, disks, interfaces, sensors.
import type { Snapshot } from "./bindings/Snapshot";

export type Grouped = {
  cores: { index: number; pct: number }[];
  disks: { mount: string; key: string; pct: number }[];
  ifaces: { name: string; rxKey: string; txKey: string; rx: number | null; tx: number | null }[];
  temps: { sensor: string; key: string; celsius: number }[];
};

export function groupSnapshot(values: Snapshot): Grouped {
  const out: Grouped = { cores: [], disks: [], ifaces: [], temps: [] };
  const ifaces = new Map<string, Grouped["ifaces"][number]>();
  for (const [key, v] of Object.entries(values)) {
    let m: RegExpExecArray | null;
    if ((m = /^cpu\.core\.(\d+)$/.exec(key))) out.cores.push({ index: Number(m[1]), pct: v });
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
  return out;
}
