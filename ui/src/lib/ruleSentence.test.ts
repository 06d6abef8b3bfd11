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

  test("in Korean", () => {
    setLanguage("ko");
    const s = ruleSentence(CPU);
    expect(s).toMatch(/[\uAC00-\uD7A3]/);
    expect(s).toContain("80%");
    expect(s).toContain("70% 미만이 되면 해제됩니다");
    expect(s).not.toContain("Fires");
  });
});
