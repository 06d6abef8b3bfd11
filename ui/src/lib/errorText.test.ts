// Field and API errors in the window's language, from codes and params, never from English text.
import { afterEach, describe, expect, test, vi } from "vitest";
import type { FieldError } from "./bindings/FieldError";
import { COUNT_INVALID, apiErrorText, fieldErrorText, fieldMessageId } from "./errorText";
import { setLanguage } from "./i18n.svelte";

afterEach(() => {
  setLanguage("en");
  vi.restoreAllMocks();
});

const fe = (code: string, params: Record<string, string>, message = "english text"): FieldError =>
  ({ path: ["rules", 0, "window"], code, params, message }) as FieldError;

describe("field errors", () => {
  test("the message id is made from the code as on the Rust side", () => {
    expect(fieldMessageId("duration.invalid")).toBe("field-duration-invalid");
    expect(fieldMessageId("email.allow_plaintext_auth.not_loopback")).toBe("field-email-allow-plaintext-auth-not-loopback");
  });

  test("are shown from their code and params, in the current language", () => {
    const e = fe("duration.invalid", { value: "soon" }, "ignored");
    expect(fieldErrorText(e)).toMatch(/^'soon' is not a duration; write a number and a unit/);
    setLanguage("ko");
    expect(fieldErrorText(e)).toMatch(/^'soon' 값은 올바른 기간이 아닙니다\./);
  });

  test("counts in params select plurals; other values show as written", () => {
    expect(fieldErrorText(fe("rules.too_many", { value: "1", max: "1000" }))).toBe("there is 1 rule; at most 1000 are accepted");
    expect(fieldErrorText(fe("rules.too_many", { value: "101", max: "100" }))).toBe("there are 101 rules; at most 100 are accepted");
    expect(fieldErrorText(fe("storage.out_of_range", { value: "007", min: "1", max: "1.50" }))).toBe(
      "007 is out of range; use 1 to 1.50",
    );
  });

  test("the window's own codes have their own messages, never the English one", () => {
    const e = fe(COUNT_INVALID, {}, "ignored");
    expect(fieldErrorText(e)).toBe("write a whole number from 0 to 4294967295, like 3, or leave it empty for no cap");
    setLanguage("ko");
    expect(fieldErrorText(e)).toBe("0부터 4294967295까지의 정수를 쓰십시오. 예: 3. 횟수를 제한하지 않으려면 비워 두십시오.");
  });

  test("the new repeat_max code of Lookout reads in both languages", () => {
    const e = fe("rule.repeat_max.without_repeat_every", {}, "ignored");
    expect(fieldErrorText(e)).toMatch(/^repeat_max caps reminders, and this rule sends none/);
    setLanguage("ko");
    expect(fieldErrorText(e)).toMatch(/^repeat_max는 다시 알림 횟수의 상한인데/);
  });

  test("a code the catalogs lack shows the backend's message, quietly", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(fieldErrorText(fe("brand.new_code", {}, "a brand new problem"))).toBe("a brand new problem");
    expect(error).not.toHaveBeenCalled();
  });
});

describe("API errors", () => {
  test("a sentence for the code, with Lookout's message as the detail", () => {
    const e = { code: "store", message: "database is locked" } as const;
    expect(apiErrorText(e)).toBe("Lookout's data store failed (database is locked)");
    setLanguage("ko");
    expect(apiErrorText(e)).toBe("Lookout 데이터 저장소에 오류가 발생했습니다 (database is locked)");
    expect(apiErrorText({ code: "keyring", message: "" })).toBe("시스템 키링에 오류가 발생했습니다");
  });
});
