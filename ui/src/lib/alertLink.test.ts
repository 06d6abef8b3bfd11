import { describe, expect, test } from "vitest";
import { alertHref, alertIdFromHash } from "./alertLink";

describe("links to one alert log entry", () => {
  test("the hash the tray opens names the entry", () => {
    expect(alertIdFromHash("#/alerts/42")).toBe(42);
    expect(alertIdFromHash("#alerts/7/")).toBe(7);
    expect(alertIdFromHash(alertHref(123456))).toBe(123456);
  });

  test("anything else names no entry", () => {
    for (const hash of ["#/alerts", "#/alerts/", "#/alerts/0", "#/alerts/-3", "#/alerts/abc", "#/rules/4", "#/alerts/4/5", "#/alerts/99999999999999999999", ""]) {
      expect(alertIdFromHash(hash), hash).toBeNull();
    }
  });
});
