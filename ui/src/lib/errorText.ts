// Errors in the window's language: a config field error from its stable code and params (the
// `field-*` messages Lookout's Rust side uses too), and an ApiError as a sentence for its code
// with the backend's own message as the detail. Never built from English message text.
import { FluentNumber, type FluentVariable } from "@fluent/bundle";
import type { ApiError } from "./bindings/ApiError";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { FieldCode } from "./bindings/FieldCode";
import type { FieldError } from "./bindings/FieldError";
import { t, tryMessage } from "./i18n.svelte";

/**
 * The code of a problem only the window finds: a count field (repeat_max) holding no whole
 * number from 0 up, which it cannot send at all, so Lookout has no code of its own for it.
 */
export const COUNT_INVALID = "window.count.invalid" as FieldCode;

/** The messages of the window's own codes (not `field-*`: Lookout never gives these). */
const WINDOW_MESSAGES: Record<string, string> = { [COUNT_INVALID]: "ui-rule-repeat-max-invalid" };

/** The catalog id of a field error code: `field-` and the code, `.` and `_` as `-`. */
export function fieldMessageId(code: string): string {
  return `field-${code.replace(/[._]/g, "-")}`;
}

/**
 * A param as Fluent takes it. As on the Rust side, a whole number in plain digits (a count)
 * becomes a number, so plurals select on it; anything else shows exactly as written.
 */
export function fieldParam(value: string): FluentVariable {
  const count = value.length <= 15 && /^(0|[1-9][0-9]*)$/.test(value);
  return count ? new FluentNumber(Number(value), { useGrouping: false }) : value;
}

/** A field error in the current language; its English message only if the catalog lacks the code. */
export function fieldErrorText(e: FieldError): string {
  const args = Object.fromEntries(Object.entries(e.params).map(([k, v]) => [k, fieldParam(v)]));
  return tryMessage(WINDOW_MESSAGES[e.code] ?? fieldMessageId(e.code), args) ?? e.message;
}

// One sentence per code, checked against the generated type: a code added in Rust fails
// type-checking here until it has its message.
const API_ERROR_IDS: Record<ErrorCode, string> = {
  invalid_config: "ui-api-invalid-config",
  config_io: "ui-api-config-io",
  store: "ui-api-store",
  email: "ui-api-email",
  desktop: "ui-api-desktop",
  keyring: "ui-api-keyring",
  autostart: "ui-api-autostart",
  channel: "ui-api-channel",
  forbidden: "ui-api-forbidden",
  stopped: "ui-api-stopped",
  bad_request: "ui-api-bad-request",
  internal: "ui-api-internal",
};

/** What went wrong, in the current language, with the backend's message as the detail. */
export function apiErrorText(e: ApiError): string {
  const summary = t(API_ERROR_IDS[e.code] ?? "ui-api-internal");
  return e.message ? t("ui-api-error-detail", { summary, detail: e.message }) : summary;
}
