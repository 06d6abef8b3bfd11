import { describe, expect, test } from "vitest";
import { amountProblems, wholeNumber } from "./settings";

describe("whole-number amounts", () => {
  test("digits are a number, spaces around them allowed", () => {
    expect(wholeNumber("24")).toBe(24);
    expect(wholeNumber(" 730 ")).toBe(730);
    expect(wholeNumber("0"), "zero is Lookout's to refuse, not the form's").toBe(0);
    expect(wholeNumber("007")).toBe(7);
  });

  test("anything else is not one", () => {
    for (const bad of ["", " ", "1.5", "-1", "+1", "1e3", "24h", "two", "1 000", "9999999999999999"])
      expect(wholeNumber(bad), JSON.stringify(bad)).toBeNull();
  });

  test("problems are counted over the typed amounts only", () => {
    expect(amountProblems({})).toBe(0);
    expect(amountProblems({ raw_hours: "48", minute_days: "30" })).toBe(0);
    expect(amountProblems({ raw_hours: "", minute_days: "3.5", quarter_hour_days: "730" })).toBe(2);
  });
});
