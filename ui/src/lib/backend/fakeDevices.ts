// The fake backend's battery, disk activity, GPU and probe: made up here, as the recorded
// runs (fixtures/views.json) come from a machine with none of them. One laptop battery
// (BAT0) discharging slowly on battery power, one NVMe disk's reads, writes and busy time,
// one GPU's busy time, VRAM and temperature, and a probe of a NAS that is up, each a
// deterministic function of time: the live ticks and the recent readings agree, the synthetic
// history (fakeHistory.ts) of a wavy figure is the same wave, and the battery's history goes
// up and down with the day.
import type { MetricSeries } from "../bindings/MetricSeries";
import type { Snapshot } from "../bindings/Snapshot";
import type { Timestamp } from "../bindings/Timestamp";
import { POWER_AC } from "../deviceKeys";
import { profileOf, valueAt, type Profile } from "./fakeHistory";

export const DEMO_BATTERY = "BAT0";
export const DEMO_DISK = "nvme0n1";
export const DEMO_GPU = "0";
export const DEMO_PROBE = "nas";

/** Charge when the fake starts, and how fast it drains: one percent every six minutes. */
const CHARGE_AT_START = 78;
const MS_PER_PERCENT = 6 * 60_000;
/** The charge the demo never drains below (it would be plugged in by then). */
const CHARGE_FLOOR = 8;

/** The wavy figures, each around `base`, `swing` either way, bursts up to `peak` (as fakeHistory draws). */
const WAVES: Record<string, Profile> = Object.fromEntries(
  (
    [
      [`diskio.${DEMO_DISK}.read_bps`, 1_800_000, 1_200_000, 45_000_000],
      [`diskio.${DEMO_DISK}.write_bps`, 600_000, 400_000, 18_000_000],
      [`diskio.${DEMO_DISK}.busy_pct`, 6, 4, 55, 100],
      [`gpu.${DEMO_GPU}.busy_pct`, 18, 10, 88, 100],
      [`gpu.${DEMO_GPU}.vram_used_pct`, 42, 3, 61, 100],
      [`gpu.${DEMO_GPU}.temp`, 52, 5, 74],
      [`probe.${DEMO_PROBE}.latency_ms`, 3.5, 1.5, 28],
    ] as [string, number, number, number, number?][]
  ).map(([metric, base, swing, peak, ceil = Infinity]) => [metric, { ...profileOf(metric), base, swing, peak, ceil }]),
);

/** Every key the demo devices give, in the order they are read. */
export const DEMO_DEVICE_KEYS: readonly string[] = [
  `battery.${DEMO_BATTERY}.pct`, `battery.${DEMO_BATTERY}.charging`, `battery.${DEMO_BATTERY}.time_to_empty_s`, POWER_AC,
  ...Object.keys(WAVES), `probe.${DEMO_PROBE}.up`,
];

/** The battery's charge over days, for history: it goes up and down with the day, no bursts. */
const BATTERY_HISTORY: Profile = { ...profileOf(`battery.${DEMO_BATTERY}.pct`), base: 60, swing: 32, peak: 60, ceil: 100 };

/**
 * How the synthetic history of a demo figure runs: the live figures' own wave, the battery's
 * charge over the days; undefined for the others (their recent readings tell).
 */
export function demoProfile(metric: string): Profile | undefined {
  return metric === `battery.${DEMO_BATTERY}.pct` ? BATTERY_HISTORY : WAVES[metric];
}

/** The battery's charge at `at` for a fake that started at `started`. */
function charge(at: Timestamp, started: Timestamp): number {
  return Math.max(CHARGE_FLOOR, CHARGE_AT_START - (at - started) / MS_PER_PERCENT);
}

/** The demo devices' readings at `at`, for a fake that started at `started`. */
export function deviceReadings(at: Timestamp, started: Timestamp): Snapshot {
  const pct = charge(at, started);
  const out: Snapshot = {
    [`battery.${DEMO_BATTERY}.pct`]: Math.round(pct * 10) / 10,
    [`battery.${DEMO_BATTERY}.charging`]: 0,
    // At the present drain, as the kernel estimates it.
    [`battery.${DEMO_BATTERY}.time_to_empty_s`]: Math.round((pct * MS_PER_PERCENT) / 1000),
    [POWER_AC]: 0,
    [`probe.${DEMO_PROBE}.up`]: 1,
  };
  for (const [key, profile] of Object.entries(WAVES)) out[key] = Math.round(valueAt(profile, at) * 10) / 10;
  return out;
}

/** The demo devices' readings at each of `times` (oldest first), as get_recent gives them. */
export function deviceRecent(times: readonly Timestamp[], started: Timestamp): MetricSeries[] {
  const readings = times.map((at) => deviceReadings(at, started));
  return DEMO_DEVICE_KEYS.map((metric) => ({ metric, times: [...times], values: readings.map((r) => r[metric]) }));
}
