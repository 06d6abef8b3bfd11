import { afterEach, describe, expect, test } from "vitest";
import {
  formatBytes, formatCelsius, formatCondition, formatCoverage, formatDateTime, formatElapsed, formatFlag, formatLevel, formatList,
  formatLoad, formatMetric, formatMs, formatDurationText, formatPercent, formatRate, formatRelative, formatSpan, formatTime,
  parseDuration, unitOf,
} from "./format";
import { setLanguage } from "./i18n.svelte";

afterEach(() => setLanguage("en"));

/** 2025-01-05 14:05:09 local time. */
const AFTERNOON = new Date(2025, 0, 5, 14, 5, 9).getTime();
const DAY = 86_400_000;

describe("formatters", () => {
  test("percentages keep one decimal below 100", () => {
    expect(formatPercent(12.345)).toBe("12.3 %");
    expect(formatPercent(0)).toBe("0.0 %");
    expect(formatPercent(100)).toBe("100 %");
    expect(formatPercent(null), "absent readings are a dash, never 0").toBe("–");
    expect(formatPercent(Number.NaN)).toBe("–");
  });

  test("bytes use binary units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(3.4 * 1024 ** 3)).toBe("3.4 GiB");
    expect(formatBytes(512 * 1024 ** 2)).toBe("512 MiB");
    expect(formatBytes(BigInt(38 * 1024 * 1024)), "u64 fields may arrive as bigint").toBe("38.0 MiB");
    expect(formatBytes(null)).toBe("–");
  });

  test("rates use decimal units per second", () => {
    expect(formatRate(1_200_000)).toBe("1.2 MB/s");
    expect(formatRate(340_000)).toBe("340 kB/s");
    expect(formatRate(12)).toBe("12 B/s");
  });

  test("load, temperature and coverage", () => {
    expect(formatLoad(0.4213)).toBe("0.42");
    expect(formatCelsius(54.4)).toBe("54 °C");
    expect(formatCoverage(0.873)).toBe("87 %");
  });

  test("each metric key gets its unit", () => {
    expect(unitOf("cpu.total")).toBe("percent");
    expect(unitOf("cpu.core.3")).toBe("percent");
    expect(unitOf("disk./home.used_pct")).toBe("percent");
    expect(unitOf("mem.used_bytes")).toBe("bytes");
    expect(unitOf("net.eth0.rx_bps")).toBe("rate");
    expect(unitOf("load.15")).toBe("load");
    expect(unitOf("temp.coretemp_package_id_0")).toBe("celsius");
    expect(formatMetric("net.wlan0.tx_bps", 2_500_000)).toBe("2.5 MB/s");
    expect(formatCondition("cpu.total", ">", 80)).toBe("> 80.0 %");
  });

  test("spans and relative times are coarse and readable", () => {
    expect(formatSpan(45_000)).toBe("45 s");
    expect(formatSpan(12 * 60_000)).toBe("12 min");
    expect(formatSpan(185 * 60_000)).toBe("3 h 5 min");
    expect(formatSpan(52 * 3_600_000)).toBe("2 d 4 h");
    expect(formatRelative(1_000_000 - 300_000, 1_000_000)).toBe("5 min ago");
    expect(formatRelative(1_000_000 + 42 * 60_000, 1_000_000)).toBe("in 42 min");
  });
});

describe("formatters in English", () => {
  test("clock times are 12-hour, older instants show the month first", () => {
    expect(formatTime(AFTERNOON, AFTERNOON)).toMatch(/^02:05:09\sPM$/);
    expect(formatTime(AFTERNOON, AFTERNOON + 3 * DAY)).toMatch(/^Jan 5, 02:05\sPM$/);
    expect(formatDateTime(AFTERNOON)).toMatch(/^Jan 5, 2025, 2:05:09\sPM$/);
  });

  test("large numbers are grouped", () => {
    expect(formatLoad(1234.5)).toBe("1,234.50");
  });
});

describe("formatters in Korean", () => {
  test("percent and degrees sit right after the number; byte units keep their symbols", () => {
    setLanguage("ko");
    expect(formatPercent(12.345)).toBe("12.3%");
    expect(formatPercent(100)).toBe("100%");
    expect(formatCoverage(0.873)).toBe("87%");
    expect(formatCelsius(54.4)).toBe("54°C");
    expect(formatBytes(3.4 * 1024 ** 3)).toBe("3.4 GiB");
    expect(formatRate(1_200_000)).toBe("1.2 MB/s");
    expect(formatCondition("cpu.total", ">", 80)).toBe("> 80.0%");
    expect(formatPercent(null), "still a dash").toBe("–");
  });

  test("spans and relative times in Korean units", () => {
    setLanguage("ko");
    expect(formatSpan(45_000)).toBe("45초");
    expect(formatSpan(12 * 60_000)).toBe("12분");
    expect(formatSpan(65 * 60_000)).toBe("1시간 5분");
    expect(formatSpan(2 * 3_600_000)).toBe("2시간");
    expect(formatSpan(52 * 3_600_000)).toBe("2일 4시간");
    expect(formatSpan(3 * DAY)).toBe("3일");
    expect(formatRelative(1_000_000 - 300_000, 1_000_000)).toBe("5분 전");
    expect(formatRelative(1_000_000 + 42 * 60_000, 1_000_000)).toBe("42분 후");
    expect(formatRelative(1_000_000, 1_000_000)).toBe("지금");
  });

  test("times are on a 24-hour clock, dates in Korean order", () => {
    setLanguage("ko");
    expect(formatTime(AFTERNOON, AFTERNOON)).toBe("14:05:09");
    expect(formatTime(AFTERNOON, AFTERNOON + 3 * DAY)).toBe("1월 5일 14:05");
    expect(formatDateTime(AFTERNOON)).toBe("2025. 1. 5. 14:05:09");
  });

  test("switching back speaks English again", () => {
    setLanguage("ko");
    expect(formatSpan(65 * 60_000)).toBe("1시간 5분");
    setLanguage("en");
    expect(formatSpan(65 * 60_000)).toBe("1 h 5 min");
    expect(formatPercent(12.345)).toBe("12.3 %");
  });
});

describe("config durations in words", () => {
  test("parses what the config accepts and refuses the rest", () => {
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("1h 30m")).toBe(5_400_000);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("1day")).toBe(86_400_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("five minutes")).toBeNull();
    expect(parseDuration("5 parsecs")).toBeNull();
    expect(parseDuration("")).toBeNull();
  });

  test("reads in the window's language; anything else is shown as written", () => {
    expect(formatDurationText("1h")).toBe(formatSpan(3_600_000));
    expect(formatDurationText("soon")).toBe("soon");
    expect(formatDurationText("500ms")).toBe("500ms");
    setLanguage("ko");
    expect(formatDurationText("1h")).toBe("1시간");
    expect(formatDurationText("90m")).toBe("1시간 30분");
  });
});

describe("app watch figures", () => {
  test("each figure is shown in its own unit", () => {
    expect(unitOf("app.db.running")).toBe("count");
    expect(unitOf("app.db.rss_bytes")).toBe("bytes");
    expect(unitOf("app.db.io_write_bps")).toBe("rate");
    expect(formatMetric("app.db.running", 3)).toBe("3");
    expect(formatMetric("app.db.cpu_pct", 12.34)).toBe(formatPercent(12.34));
    expect(formatMetric("app.db.uptime_s", 3900)).toBe(formatSpan(3_900_000));
  });
});

describe("action runs and lists", () => {
  test("how long a run took: tenths of a second when short", () => {
    expect(formatElapsed(2400)).toBe("2.4 s");
    expect(formatElapsed(0)).toBe("0.0 s");
    expect(formatElapsed(-5), "a clock step back is no negative time").toBe("0.0 s");
    expect(formatElapsed(9960)).toBe(formatSpan(9960));
    expect(formatElapsed(125_000)).toBe("2 min");
    expect(formatElapsed(Number.NaN)).toBe("–");
    setLanguage("ko");
    expect(formatElapsed(2400)).toBe("2.4초");
  });

  test("lists read as the language writes them", () => {
    expect(formatList(["Firing"])).toBe("Firing");
    expect(formatList(["Firing", "Reminder", "Resolved"])).toBe("Firing, Reminder, and Resolved");
    setLanguage("ko");
    expect(formatList(["발생", "해제"])).toBe("발생 및 해제");
  });
});

describe("batteries, disk activity, GPUs and probes", () => {
  test("each figure has its unit", () => {
    const units = {
      "battery.BAT0.pct": "percent", "battery.BAT0.charging": "flag", "battery.BAT0.time_to_empty_s": "seconds", "power.ac": "flag",
      "diskio.nvme0n1.read_bps": "rate", "diskio.nvme0n1.write_bps": "rate", "diskio.nvme0n1.busy_pct": "percent",
      "gpu.0.busy_pct": "percent", "gpu.0.vram_used_pct": "percent", "gpu.0.temp": "celsius",
      "probe.nas.up": "flag", "probe.nas.latency_ms": "ms",
    };
    for (const [key, unit] of Object.entries(units)) expect(unitOf(key), key).toBe(unit);
  });

  test("readings in their units: a rate, a percentage, a duration, degrees, milliseconds", () => {
    expect(formatMetric("diskio.sda.write_bps", 2_500_000)).toBe("2.5 MB/s");
    expect(formatMetric("diskio.sda.busy_pct", 7.25)).toBe("7.3 %");
    expect(formatMetric("battery.BAT0.pct", 54)).toBe("54.0 %");
    expect(formatMetric("battery.BAT0.time_to_empty_s", 11_100)).toBe("3 h 5 min");
    expect(formatMetric("gpu.1.temp", 61.4)).toBe("61 °C");
    expect(formatMetric("probe.nas.latency_ms", 3.24)).toBe("3.2 ms");
    expect(formatMetric("probe.nas.latency_ms", 48.6)).toBe("49 ms");
    expect(formatMs(2400), "a second and more in seconds").toBe("2.4 s");
    expect(formatMs(undefined)).toBe("–");
  });

  test("readings that are 1 or 0 are words; anything between is a number", () => {
    expect([1, 0].map((v) => formatMetric("battery.BAT0.charging", v))).toEqual(["charging", "not charging"]);
    expect([1, 0].map((v) => formatMetric("power.ac", v))).toEqual(["on AC", "on battery"]);
    expect([1, 0].map((v) => formatMetric("probe.nas.up", v))).toEqual(["up", "down"]);
    expect(formatFlag("probe.nas.up", 0.75), "an average of ups and downs").toBe("0.75");
    expect(formatFlag("probe.nas.up", null)).toBe("–");
    expect(formatFlag("battery.BAT0.pct", 1), "no flag, no words").toBe("1");
  });

  test("a flag's thresholds and levels are numbers, every other unit's as read", () => {
    expect(formatCondition("battery.BAT0.charging", "<", 1)).toBe("< 1");
    expect(formatLevel("probe.nas.up", 0.5)).toBe("0.5");
    expect(formatLevel("gpu.0.busy_pct", 80)).toBe(formatMetric("gpu.0.busy_pct", 80));
    expect(formatCondition("probe.nas.latency_ms", ">", 250)).toBe("> 250 ms");
  });

  test("in Korean", () => {
    setLanguage("ko");
    expect([1, 0].map((v) => formatMetric("battery.BAT0.charging", v))).toEqual(["충전 중", "충전 중 아님"]);
    expect([1, 0].map((v) => formatMetric("power.ac", v))).toEqual(["AC 전원 사용", "배터리 사용"]);
    expect([1, 0].map((v) => formatMetric("probe.nas.up", v))).toEqual(["정상", "응답 없음"]);
    expect(formatMetric("probe.nas.latency_ms", 12)).toBe("12ms");
    expect(formatMetric("battery.BAT0.time_to_empty_s", 11_100)).toBe("3시간 5분");
    expect(formatMetric("gpu.0.temp", 61.4)).toBe("61°C");
  });
});
