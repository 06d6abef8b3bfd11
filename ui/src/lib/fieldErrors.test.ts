import { describe, expect, test } from "vitest";
import type { FieldError } from "./bindings/FieldError";
import {
  afterRuleRemoved, countByRule, errorTestId, errorsAt, errorsOutside, errorsUnder, isApiError,
  pathKey, pathText, toApiError,
} from "./fieldErrors";

const errors: FieldError[] = [
  { path: ["rules", 2, "window"], message: "bad window" },
  { path: ["rules", 2, "metric"], message: "bad metric" },
  { path: ["rules", 0, "name"], message: "no name" },
  { path: ["email", "to", 1], message: "bad address" },
  { path: ["version"], message: "bad version" },
];

describe("field error mapping", () => {
  test("paths as keys, text and test ids", () => {
    expect(pathKey(["rules", 2, "window"])).toBe("rules.2.window");
    expect(pathText(["rules", 2, "window"]), "as the Rust side prints it").toBe("rules[2].window");
    expect(errorTestId(["rules", 2, "window"])).toBe("error-rules-2-window");
  });

  test("errors at a field are exact; under a prefix include list items", () => {
    expect(errorsAt(errors, ["rules", 2, "window"])).toEqual(["bad window"]);
    expect(errorsAt(errors, ["rules", 2]), "a prefix is not the field itself").toEqual([]);
    expect(errorsAt(errors, ["rules", "2", "window"]), "index 2 is not key '2'").toEqual([]);
    expect(errorsUnder(errors, ["email", "to"]).map((e) => e.message)).toEqual(["bad address"]);
  });

  test("errors no view shows go to the summary", () => {
    const rest = errorsOutside(errors, [["rules"], ["email"]]);
    expect(rest.map((e) => e.message)).toEqual(["bad version"]);
  });

  test("errors are counted per rule", () => {
    const counts = countByRule(errors);
    expect(counts.get(2)).toBe(2);
    expect(counts.get(0)).toBe(1);
    expect(counts.has(1)).toBe(false);
  });

  test("deleting a rule drops its errors and renumbers the later ones", () => {
    const after = afterRuleRemoved(errors, 0);
    expect(after.find((e) => e.message === "no name"), "the deleted rule's error goes").toBeUndefined();
    expect(after.find((e) => e.message === "bad window")?.path).toEqual(["rules", 1, "window"]);
    expect(after.find((e) => e.message === "bad address")?.path, "other sections untouched").toEqual(["email", "to", 1]);
  });

  test("whatever a call rejects with becomes an ApiError", () => {
    const api = { code: "invalid_config", message: "the config has 1 problem", fields: [errors[0]] };
    expect(isApiError(api)).toBe(true);
    expect(toApiError(api), "ApiErrors pass through").toBe(api);
    expect(isApiError({ code: "nope", message: "x" }), "unknown codes are not ApiErrors").toBe(false);
    expect(toApiError("command get_config not found")).toEqual({ code: "internal", message: "command get_config not found" });
    expect(toApiError(new Error("boom")).code).toBe("internal");
  });
});
