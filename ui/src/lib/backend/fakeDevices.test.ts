import { describe, expect, test } from "vitest";
import { groupSnapshot } from "../metrics";
import { FakeBackend, recorded } from "./fake";
import { DEMO_DEVICE_KEYS, deviceReadings, deviceRecent } from "./fakeDevices";

const START = 1_700_000_900_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function fake() {
  let now = START;
  const b = new FakeBackend({ now: () => now, timer: false });
  return { b, advance: (ms: number) => (now += ms), at: () => now };
}

describe("the demo battery, disk, GPU and probe", () => {
  test("every key, with a plausible reading", () => {
    const v = deviceReadings(START, START);
    expect(Object.keys(v).sort()).toEqual([...DEMO_DEVICE_KEYS].sort());
    expect(v["battery.BAT0.pct"]).toBe(78);
    expect([v["battery.BAT0.charging"], v["power.ac"], v["probe.nas.up"]], "on battery, not charging, the NAS up").toEqual([0, 0, 1]);
    expect(v["battery.BAT0.time_to_empty_s"] / 3600, "hours left").toBeCloseTo(7.8, 1);
    for (const key of ["diskio.nvme0n1.busy_pct", "gpu.0.busy_pct", "gpu.0.vram_used_pct"]) {
      expect(v[key], key).toBeGreaterThanOrEqual(0);
      expect(v[key], key).toBeLessThanOrEqual(100);
    }
    expect(v["diskio.nvme0n1.read_bps"]).toBeGreaterThan(0);
    expect(v["gpu.0.temp"]).toBeGreaterThan(30);
    expect(v["probe.nas.latency_ms"]).toBeGreaterThan(0);
  });

  test("the battery drains slowly, and the time left with it", () => {
    const [now, hour] = [deviceReadings(START, START), deviceReadings(START + HOUR, START)];
    expect(now["battery.BAT0.pct"] - hour["battery.BAT0.pct"]).toBeCloseTo(10, 5);
    expect(hour["battery.BAT0.time_to_empty_s"]).toBeLessThan(now["battery.BAT0.time_to_empty_s"]);
    expect(deviceReadings(START + 2 * DAY, START)["battery.BAT0.pct"], "never empty").toBeGreaterThan(0);
  });

  test("recent readings are the readings at those times", () => {
    const times = [START - 2000, START - 1000, START];
    const recent = deviceRecent(times, START);
    expect(recent.map((s) => s.metric)).toEqual(DEMO_DEVICE_KEYS);
    const gpu = recent.find((s) => s.metric === "gpu.0.busy_pct")!;
    expect(gpu.times).toEqual(times);
    expect(gpu.values).toEqual(times.map((t) => deviceReadings(t, START)["gpu.0.busy_pct"]));
  });
});

describe("in the fake backend", () => {
  test("every tick and the recent readings carry them, so the overview has a card of each", async () => {
    const { b, advance } = fake();
    const tick = b.tick(advance(1000));
    for (const key of DEMO_DEVICE_KEYS) expect(tick.values[key], key).toBeTypeOf("number");
    expect(tick.values["cpu.total"], "the recorded readings are still there").toBeTypeOf("number");
    const g = groupSnapshot(tick.values);
    expect([g.batteries, g.diskio, g.gpus, g.probes].map((f) => f.map((d) => d.name))).toEqual([["BAT0"], ["nvme0n1"], ["0"], ["nas"]]);
    const recent = await b.getRecent();
    const battery = recent.find((s) => s.metric === "battery.BAT0.pct")!;
    const cpu = recent.find((s) => s.metric === "cpu.total")!;
    expect(battery.times, "at the recorded readings' times").toEqual(cpu.times);
    expect(battery.values.at(-1)).toBe(78);
  });

  test("they have history, around what the ticks show", async () => {
    const { b, at } = fake();
    const hour = await b.getHistory("gpu.0.vram_used_pct", at() - HOUR, at(), 600);
    const avgs = hour.points.flatMap((p) => (p.avg === null ? [] : [p.avg]));
    expect(Math.min(...avgs)).toBeGreaterThan(30);
    expect(Math.max(...avgs)).toBeLessThan(65);
    const up = await b.getHistory("probe.nas.up", at() - DAY, at(), 600);
    expect(new Set(up.points.flatMap((p) => (p.avg === null ? [] : [p.avg]))), "up all day").toEqual(new Set([1]));
    const charging = await b.getHistory("battery.BAT0.charging", at() - HOUR, at(), 600);
    expect(charging.points.every((p) => p.avg === null || p.avg === 0), "never charging").toBe(true);
  });

  test("a battery rule with only_when backtests, the condition left out", async () => {
    const { b, at } = fake();
    const rule = {
      ...recorded("default").config.rules[1], name: "Battery low", metric: "battery.BAT0.pct", op: "<" as const, threshold: 40,
      clear_threshold: null, only_when: "battery.BAT0.charging < 1",
    };
    const bt = await b.backtestRule(rule, at() - 7 * DAY, at());
    expect([bt.rule, bt.metric]).toEqual(["Battery low", "battery.BAT0.pct"]);
    expect(bt.firings, "the charge goes below 40 % some days").toBeGreaterThan(0);
    expect(bt).toEqual(await b.backtestRule({ ...rule, only_when: null }, at() - 7 * DAY, at()));
  });
});
