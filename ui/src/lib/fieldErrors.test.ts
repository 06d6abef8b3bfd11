import { describe, expect, test } from "vitest";
import type { FieldError } from "./bindings/FieldError";
import {
  afterRuleRemoved, countByRule, errorKey, errorTestId, errorsAt, errorsOutside, errorsUnder, isApiError,
  pathKey, pathText, toApiError,
} from "./fieldErrors";

const err = (path: FieldError["path"], code: FieldError["code"], message: string): FieldError => ({
  path, code, params: {}, message,
});
const errors: FieldError[] = [
  err(["rules", 2, "window"], "duration.invalid", "bad window"),
  err(["rules", 2, "metric"], "rule.metric.unknown", "bad metric"),
  err(["rules", 0, "name"], "rule.name.missing", "no name"),
  err(["email", "to", 1], "email.mailbox.invalid", "bad address"),
  err(["version"], "version.unsupported", "bad version"),
];

describe("field error mapping", () => {
  test("paths as keys, text and test ids", () => {
    expect(pathKey(["rules", 2, "window"])).toBe("rules.2.window");
    expect(pathText(["rules", 2, "window"]), "as the Rust side prints it").toBe("rules[2].window");
    expect(errorTestId(["rules", 2, "window"])).toBe("error-rules-2-window");
  });

  test("errors at a field are exact; under a prefix include list items", () => {
    expect(errorsAt(errors, ["rules", 2, "window"]).map((e) => e.code)).toEqual(["duration.invalid"]);
    expect(errorsAt(errors, ["rules", 2]), "a prefix is not the field itself").toEqual([]);
    expect(errorsAt(errors, ["rules", "2", "window"]), "index 2 is not key '2'").toEqual([]);
    expect(errorsUnder(errors, ["email", "to"]).map((e) => e.code)).toEqual(["email.mailbox.invalid"]);
  });

  test("an error is identified by its place and kind, not its wording", () => {
    expect(errorKey(errors[0])).toBe("rules.2.window#duration.invalid");
    const reworded = { ...errors[0], message: "pas une durée" };
    expect(errorKey(reworded), "a translated message is the same error").toBe(errorKey(errors[0]));
  });

  test("errors no view shows go to the summary", () => {
    const rest = errorsOutside(errors, [["rules"], ["email"]]);
    expect(rest.map((e) => e.code)).toEqual(["version.unsupported"]);
  });

  test("errors are counted per rule", () => {
    const counts = countByRule(errors);
    expect(counts.get(2)).toBe(2);
    expect(counts.get(0)).toBe(1);
    expect(counts.has(1)).toBe(false);
  });

  test("deleting a rule drops its errors and renumbers the later ones", () => {
    const after = afterRuleRemoved(errors, 0);
    expect(after.find((e) => e.code === "rule.name.missing"), "the deleted rule's error goes").toBeUndefined();
    expect(after.find((e) => e.code === "duration.invalid")?.path).toEqual(["rules", 1, "window"]);
    expect(after.find((e) => e.code === "email.mailbox.invalid")?.path, "other sections untouched").toEqual(["email", "to", 1]);
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
