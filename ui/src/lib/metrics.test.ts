import { describe, expect, test } from "vitest";
import { deviceKey, deviceMetric } from "./deviceKeys";
import { chartKeys, groupSnapshot } from "./metrics";

describe("device keys, as Lookout parses them", () => {
  test("a battery, a disk, a GPU and a probe, each with its name and figure", () => {
    expect(deviceKey("battery.BAT0.pct")).toEqual({ family: "battery", name: "BAT0", field: "pct" });
    expect(deviceKey("battery.hid-00:1f_2_battery.time_to_empty_s")).toEqual({ family: "battery", name: "hid-00:1f_2_battery", field: "time_to_empty_s" });
    expect(deviceKey("diskio.nvme0n1.write_bps")).toEqual({ family: "diskio", name: "nvme0n1", field: "write_bps" });
    expect(deviceKey("gpu.1.vram_used_pct")).toEqual({ family: "gpu", name: "1", field: "vram_used_pct" });
    expect(deviceKey("probe.my-site.latency_ms")).toEqual({ family: "probe", name: "my-site", field: "latency_ms" });
    expect(deviceMetric("gpu", "0", "temp")).toBe("gpu.0.temp");
  });

  test("no other key is one: unknown figures, names with dots, empty names, GPUs not numbered", () => {
    for (const key of [
      "power.ac", "cpu.total", "temp.gpu", "battery.BAT0", "battery.BAT0.volts", "battery.a.b.pct", "battery..pct",
      "diskio.sda.busy", "gpu.x.temp", "gpu..temp", "probe.nas.down", "probe.nas.", "app.nas.up",
    ])
      expect(deviceKey(key), key).toBeNull();
  });
});

describe("a snapshot sorted for the overview", () => {
  const SNAPSHOT = {
    "cpu.total": 20, "cpu.core.1": 30, "cpu.core.0": 10, "temp.acpitz": 40,
    "battery.BAT1.pct": 91, "battery.BAT0.pct": 54.5, "battery.BAT0.charging": 0, "battery.BAT0.time_to_empty_s": 7200,
    "power.ac": 0,
    "diskio.sda.read_bps": 100, "diskio.nvme0n1.read_bps": 2_000_000, "diskio.nvme0n1.write_bps": 500_000, "diskio.nvme0n1.busy_pct": 7,
    "gpu.10.busy_pct": 1, "gpu.2.busy_pct": 50, "gpu.2.temp": 61, "gpu.0.temp": 45,
    "probe.nas.up": 1, "probe.nas.latency_ms": 3.2, "probe.web.up": 0,
  };

  test("each battery, disk, GPU and probe once, with every key and the figures it has", () => {
    const g = groupSnapshot(SNAPSHOT);
    expect(g.batteries.map((b) => b.name), "by name").toEqual(["BAT0", "BAT1"]);
    expect(g.batteries[0]).toEqual({
      name: "BAT0",
      keys: { pct: "battery.BAT0.pct", charging: "battery.BAT0.charging", time_to_empty_s: "battery.BAT0.time_to_empty_s" },
      values: { pct: 54.5, charging: 0, time_to_empty_s: 7200 },
    });
    expect(g.batteries[1].values, "a figure not read is absent, not 0").toEqual({ pct: 91 });
    expect(g.ac).toBe(0);
    expect(g.diskio.map((d) => d.name)).toEqual(["nvme0n1", "sda"]);
    expect(g.diskio[0].values).toEqual({ read_bps: 2_000_000, write_bps: 500_000, busy_pct: 7 });
    expect(g.diskio[1].keys.busy_pct).toBe("diskio.sda.busy_pct");
    expect(g.gpus.map((x) => x.name), "by number, not as text").toEqual(["0", "2", "10"]);
    expect(g.gpus[1].values).toEqual({ busy_pct: 50, temp: 61 });
    expect(g.probes.map((p) => [p.name, p.values])).toEqual([["nas", { up: 1, latency_ms: 3.2 }], ["web", { up: 0 }]]);
  });

  test("the families it had before keep their shape, and no device is counted twice", () => {
    const g = groupSnapshot(SNAPSHOT);
    expect(g.cores).toEqual([{ index: 0, pct: 10 }, { index: 1, pct: 30 }]);
    expect(g.temps, "gpu.N.temp is the GPU's, not a sensor of its own").toEqual([{ sensor: "acpitz", key: "temp.acpitz", celsius: 40 }]);
    expect(g.disks).toEqual([]);
  });

  test("a machine without them has none", () => {
    const g = groupSnapshot({ "cpu.total": 5, "disk./.used_pct": 50 });
    expect([g.batteries, g.diskio, g.gpus, g.probes, g.ac]).toEqual([[], [], [], [], null]);
  });
});

describe("what a device's card charts", () => {
  const [gpu0, gpu2, gpu10] = groupSnapshot({ "gpu.0.temp": 45, "gpu.2.busy_pct": 50, "gpu.2.temp": 61, "gpu.10.vram_used_pct": 3 }).gpus;

  test("the figures of the first choice it has, only those", () => {
    expect(chartKeys(gpu2, ["busy_pct", "vram_used_pct"], ["temp"])).toEqual(["gpu.2.busy_pct"]);
    expect(chartKeys(gpu10, ["busy_pct", "vram_used_pct"], ["temp"])).toEqual(["gpu.10.vram_used_pct"]);
  });

  test("a later choice when it has none of the first, else every key of the first (waiting for readings)", () => {
    expect(chartKeys(gpu0, ["busy_pct", "vram_used_pct"], ["temp"]), "a GPU that only tells its temperature").toEqual(["gpu.0.temp"]);
    const [probe] = groupSnapshot({ "probe.nas.up": 0 }).probes;
    expect(chartKeys(probe, ["latency_ms"])).toEqual(["probe.nas.latency_ms"]);
  });
});
