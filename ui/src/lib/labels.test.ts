import { afterEach, describe, expect, test } from "vitest";
import { setLanguage } from "./i18n.svelte";
import { metricLabel } from "./labels";

afterEach(() => setLanguage("en"));

describe("metric keys in words", () => {
  test("the keys Lookout had before", () => {
    expect(metricLabel("cpu.core.3")).toBe("CPU core 3");
    expect(metricLabel("disk./home.used_pct")).toBe("Disk /home");
    expect(metricLabel("net.eth0.rx_bps")).toBe("eth0 received");
    expect(metricLabel("temp.coretemp_package_id_0")).toBe("Coretemp package id 0");
  });

  test("every figure of a battery, a disk, a GPU and a probe names the device", () => {
    expect(
      [
        "battery.BAT0.pct", "battery.BAT0.charging", "battery.BAT0.time_to_empty_s", "power.ac",
        "diskio.nvme0n1.read_bps", "diskio.nvme0n1.write_bps", "diskio.nvme0n1.busy_pct",
        "gpu.0.busy_pct", "gpu.0.vram_used_pct", "gpu.0.temp", "probe.nas.up", "probe.nas.latency_ms",
      ].map(metricLabel),
    ).toEqual([
      "Battery BAT0 charge", "Battery BAT0 charging", "Battery BAT0 time to empty", "AC power",
      "nvme0n1 read", "nvme0n1 write", "nvme0n1 busy",
      "GPU 0 busy", "GPU 0 VRAM used", "GPU 0 temperature", "Probe nas up", "Probe nas latency",
    ]);
  });

  test("in Korean", () => {
    setLanguage("ko");
    expect(metricLabel("battery.BAT0.pct")).toBe("배터리 BAT0 충전량");
    expect(metricLabel("power.ac")).toBe("AC 전원");
    expect(metricLabel("diskio.nvme0n1.write_bps")).toBe("nvme0n1 쓰기");
    expect(metricLabel("gpu.0.busy_pct")).toBe("GPU 0 사용률");
    expect(metricLabel("probe.nas.latency_ms")).toBe("프로브 nas 응답 시간");
  });

  test("a key of no known form, or a figure no device has, stays a key", () => {
    for (const key of ["battery.BAT0.volts", "gpu.x.temp", "probe.a.b.up"]) expect(metricLabel(key), key).toBe(key);
  });
});
