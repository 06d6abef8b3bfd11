import { afterEach, describe, expect, test } from "vitest";
import type { RuleConfig } from "./bindings/RuleConfig";
import { setLanguage } from "./i18n.svelte";
import { ruleSentence } from "./ruleSentence";

afterEach(() => setLanguage("en"));

const CPU: RuleConfig = {
  name: "CPU high", metric: "cpu.total", aggregate: "all", window: "1h", op: ">", threshold: 80,
  clear_threshold: 70, for: null, notify_resolved: true, severity: "warning", enabled: true,
};

describe("a rule read back in words", () => {
  test("in English, with its clear threshold and how long it must hold", () => {
    expect(ruleSentence(CPU)).toBe("Fires when every sample of CPU over 1 h is above 80 %. It clears below 70 %.");
    expect(ruleSentence({ ...CPU, for: "5m", clear_threshold: null })).toBe("Fires when every sample of CPU over 1 h is above 80 %, held for 5 min.");
    expect(ruleSentence({ ...CPU, aggregate: "avg", op: "<=", threshold: 10, clear_threshold: 15 })).toBe(
      "Fires when the average of CPU over 1 h is at or below 10 %. It clears above 15 %.",
    );
  });

  test("a clear threshold equal to the threshold adds nothing", () => {
    expect(ruleSentence({ ...CPU, clear_threshold: 80 })).not.toContain("clears");
  });

  test("fields not filled in read as an ellipsis", () => {
    expect(ruleSentence({ ...CPU, metric: "", window: "", threshold: Number.NaN, clear_threshold: null })).toBe(
      "Fires when every sample of … over … is above ….",
    );
  });

  test("reminders, and their cap when it has one", () => {
    const base = "Fires when every sample of CPU over 1 h is above 80 %. It clears below 70 %.";
    expect(ruleSentence({ ...CPU, repeat_every: "1h" })).toBe(`${base} It reminds every 1 h.`);
    expect(ruleSentence({ ...CPU, repeat_every: "1h", repeat_max: 3 })).toBe(`${base} It reminds every 1 h, at most 3 times.`);
    expect(ruleSentence({ ...CPU, repeat_every: "30m", repeat_max: 1 })).toBe(`${base} It reminds once, after 30 min.`);
    expect(ruleSentence({ ...CPU, repeat_every: "1h", repeat_max: 0 })).toBe(`${base} It sends no reminders.`);
    expect(ruleSentence({ ...CPU, repeat_every: "1h", repeat_max: 2.5 }), "a cap it cannot send").toBe(`${base} It reminds every 1 h.`);
    for (const none of [null, "", " ", "0s"])
      expect(ruleSentence({ ...CPU, repeat_every: none, repeat_max: 3 }), `repeat_every ${none}`).toBe(base);
  });

  test("a condition on another metric ends the sentence, as written", () => {
    const battery: RuleConfig = {
      ...CPU, name: "Battery low", metric: "battery.BAT0.pct", aggregate: "avg", window: "1m", op: "<", threshold: 15, clear_threshold: null,
    };
    const base = "Fires when the average of Battery BAT0 charge over 1 min is below 15 %.";
    expect(ruleSentence(battery)).toBe(base);
    expect(ruleSentence({ ...battery, only_when: "battery.BAT0.charging < 1" })).toBe(`${base} It fires only while battery.BAT0.charging < 1.`);
    expect(ruleSentence({ ...battery, only_when: "  power.ac   <=  0 " }), "trimmed, one space between").toBe(`${base} It fires only while power.ac <= 0.`);
    expect(ruleSentence({ ...CPU, repeat_every: "1h", only_when: "power.ac > 0" }), "after the clear threshold and the reminders").toBe(
      "Fires when every sample of CPU over 1 h is above 80 %. It clears below 70 %. It reminds every 1 h. It fires only while power.ac > 0.",
    );
    for (const none of [null, undefined, "", "   "]) expect(ruleSentence({ ...battery, only_when: none }), `only_when ${none}`).toBe(base);
  });

  test("a flag's threshold is a number, not a state", () => {
    const down: RuleConfig = { ...CPU, metric: "probe.nas.up", aggregate: "max", window: "2m", op: "<", threshold: 1, clear_threshold: null };
    expect(ruleSentence(down)).toBe("Fires when the maximum of Probe nas up over 2 min is below 1.");
  });

  test("in Korean", () => {
    setLanguage("ko");
    const s = ruleSentence(CPU);
    expect(s).toMatch(/[\uAC00-\uD7A3]/);
    expect(s).toContain("80%");
    expect(s).toContain("70% 미만이 되면 해제됩니다");
    expect(s).not.toContain("Fires");
    expect(ruleSentence({ ...CPU, repeat_every: "1h" })).toBe(`${s} 발생 중에는 1시간마다 다시 알립니다.`);
    expect(ruleSentence({ ...CPU, repeat_every: "1h", repeat_max: 3 })).toBe(`${s} 발생 중에는 1시간마다 최대 3번까지 다시 알립니다.`);
    expect(ruleSentence({ ...CPU, repeat_every: "1h", repeat_max: 1 })).toBe(`${s} 발생하고 1시간 뒤에 한 번만 다시 알립니다.`);
    expect(ruleSentence({ ...CPU, repeat_every: "1h", repeat_max: 0 })).toBe(`${s} 다시 알리지는 않습니다.`);
    expect(ruleSentence({ ...CPU, only_when: "battery.BAT0.charging < 1" })).toBe(`${s} battery.BAT0.charging < 1 조건이 맞는 동안에만 발생합니다.`);
    expect(ruleSentence({ ...CPU, repeat_every: "1h", only_when: "power.ac < 1" })).toBe(
      `${s} 발생 중에는 1시간마다 다시 알립니다. power.ac < 1 조건이 맞는 동안에만 발생합니다.`,
    );
    expect(ruleSentence({ ...CPU, metric: "battery.BAT0.pct", only_when: " " })).toContain("배터리 BAT0 충전량");
  });
});
