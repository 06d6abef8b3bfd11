// Generated data for the fake backend: a plausible machine (8 cores, 16 GiB, two disks, one
// network interface, two sensors) whose readings drift like real ones, and a starting config.
import type { Config } from "../bindings/Config";
import type { Snapshot } from "../bindings/Snapshot";

const GIB = 1024 ** 3;
export const FAKE_MEMORY_BYTES = 16 * GIB;
export const FAKE_CORES = 8;

/** A small deterministic PRNG (mulberry32), so every run shows the same kind of machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Readings that wander: each call advances the machine by one sample. */
export class MetricGenerator {
  private readonly rand: () => number;
  private cores: number[];
  private mem = 52;
  private swap = 3.5;
  private load5 = 1.1;
  private load15 = 0.9;
  private rootDisk = 62.4;
  private rx = 80_000;
  private tx = 12_000;
  private burst = 0;

  constructor(seed = 7) {
    this.rand = seededRandom(seed);
    this.cores = Array.from({ length: FAKE_CORES }, () => 5 + this.rand() * 20);
  }

  next(intervalMs = 1000): Snapshot {
    const r = this.rand;
    if (this.burst > 0) this.burst -= 1;
    else if (r() < 0.02) this.burst = 5 + Math.floor(r() * 20);
    const target = this.burst > 0 ? 75 : 14;
    this.cores = this.cores.map((c) => clamp(c + (target - c) * 0.25 + (r() - 0.5) * 18, 0.5, 100));
    const cpu = this.cores.reduce((a, b) => a + b, 0) / FAKE_CORES;
    this.mem = clamp(this.mem + (r() - 0.5) * 0.6 + (cpu > 50 ? 0.15 : -0.05), 35, 88);
    this.swap = clamp(this.swap + (r() - 0.5) * 0.05, 0, 100);
    const load1 = (cpu / 100) * FAKE_CORES * (0.9 + r() * 0.2);
    const k = intervalMs / 1000;
    this.load5 += (load1 - this.load5) * (k / 300) * 5;
    this.load15 += (load1 - this.load15) * (k / 900) * 5;
    this.rootDisk = clamp(this.rootDisk + r() * 0.0005, 0, 100);
    const netTarget = this.burst > 0 ? 4_000_000 : 60_000;
    this.rx = Math.max(0, this.rx + (netTarget - this.rx) * 0.3 + (r() - 0.5) * netTarget * 0.4);
    this.tx = Math.max(0, this.rx * (0.1 + r() * 0.1));
    const values: Snapshot = {
      "cpu.total": cpu,
      "mem.used_pct": this.mem,
      "mem.used_bytes": (this.mem / 100) * FAKE_MEMORY_BYTES,
      "swap.used_pct": this.swap,
      "load.1": load1,
      "load.5": this.load5,
      "load.15": this.load15,
      "disk./.used_pct": this.rootDisk,
      "disk./home.used_pct": 78.1,
      "net.enp3s0.rx_bps": this.rx,
      "net.enp3s0.tx_bps": this.tx,
      "temp.coretemp_package_id_0": 42 + cpu * 0.35 + r() * 1.5,
      "temp.nvme_composite": 37 + r() * 0.8,
    };
    this.cores.forEach((c, i) => (values[`cpu.core.${i}`] = c));
    return values;
  }
}

/** The default config of lookout-core, plus one rule that fires on the fake machine. */
export function defaultFakeConfig(): Config {
  return {
    version: 1,
    sampling: { interval: "1s" },
    desktop: { enabled: true },
    email: {
      enabled: false,
      host: "smtp.example.com",
      port: 587,
      tls: "starttls",
      from: "Lookout <alerts@example.com>",
      to: ["me@example.com"],
    },
    quiet_hours: { enabled: false, start: "22:00", end: "07:00", mute_critical: false },
    rules: [
      { name: "CPU busy for an hour", metric: "cpu.total", aggregate: "all", window: "1h", op: ">", threshold: 80, repeat_every: "4h", notify_resolved: true, severity: "warning", enabled: true },
      { name: "CPU saturated", metric: "cpu.total", aggregate: "avg", window: "5m", op: ">", threshold: 90, clear_threshold: 80, repeat_every: "1h", notify_resolved: true, severity: "critical", enabled: true },
      { name: "Memory almost full", metric: "mem.used_pct", aggregate: "all", window: "5m", op: ">", threshold: 90, clear_threshold: 85, repeat_every: "1h", notify_resolved: true, severity: "critical", enabled: true },
      { name: "Root disk almost full", metric: "disk./.used_pct", aggregate: "max", window: "1m", op: ">", threshold: 90, clear_threshold: 88, repeat_every: "24h", notify_resolved: true, severity: "warning", enabled: true },
      { name: "Home disk filling up", metric: "disk./home.used_pct", aggregate: "max", window: "10s", op: ">", threshold: 75, for: "3s", notify_resolved: true, severity: "warning", enabled: true },
    ],
  };
}
