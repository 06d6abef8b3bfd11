// Maps config field errors (paths like ["rules", 2, "window"]) to the form fields that show
// them, and turns anything a backend call rejects with into an ApiError. Errors are matched on
// their path and code, never on their message text.
import type { ApiError } from "./bindings/ApiError";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { FieldError } from "./bindings/FieldError";
import type { PathSegment } from "./bindings/PathSegment";

// Every code, checked against the generated type: a code added in Rust fails type-checking
// here until it is listed.
const KNOWN: Record<ErrorCode, true> = {
  invalid_config: true,
  config_io: true,
  store: true,
  email: true,
  desktop: true,
  keyring: true,
  autostart: true,
  channel: true,
  forbidden: true,
  stopped: true,
  bad_request: true,
  internal: true,
};
const CODES: readonly string[] = Object.keys(KNOWN);

/** A stable text key for a path: ["rules", 2, "window"] -> "rules.2.window". */
export function pathKey(path: readonly PathSegment[]): string {
  return path.map(String).join(".");
}

/** The path as the Rust side writes it: "rules[2].window". */
export function pathText(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** The data-testid of the element showing a path's errors: "error-rules-2-window". */
export function errorTestId(path: readonly PathSegment[]): string {
  return `error-${path.map(String).join("-")}`;
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

/** Errors at exactly this path. */
export function errorsAt(errors: readonly FieldError[], path: readonly PathSegment[]): FieldError[] {
  return errors.filter((e) => e.path.length === path.length && startsWith(e.path, path));
}

/**
 * An error's identity in a list: its place and its kind ("rules.2.window#duration.invalid").
 * The validator reports one kind of problem at most once per field. Never the message text,
 * which is for people (and will be translated).
 */
export function errorKey(e: FieldError): string {
  return `${pathKey(e.path)}#${e.code}`;
}

/** Errors at this path or below it (["email", "to"] also finds ["email", "to", 1]). */
export function errorsUnder(
  errors: readonly FieldError[],
  prefix: readonly PathSegment[],
): FieldError[] {
  return errors.filter((e) => startsWith(e.path, prefix));
}

/** Errors that none of the given prefixes covers (shown in a summary instead). */
export function errorsOutside(
  errors: readonly FieldError[],
  prefixes: readonly (readonly PathSegment[])[],
): FieldError[] {
  return errors.filter((e) => !prefixes.some((p) => startsWith(e.path, p)));
}

/** How many errors each rule (by index) has. */
export function countByRule(errors: readonly FieldError[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const e of errors) {
    const [head, index] = e.path;
    if (head === "rules" && typeof index === "number")
      counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  return counts;
}

/**
 * Keeps errors attached to the right items of a list (`rules`, `channels`) after
 * `head`[removed] is deleted: its own errors go, later items' indices move down by one.
 */
export function afterItemRemoved(errors: readonly FieldError[], head: string, removed: number): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const [first, index, ...rest] = e.path;
    if (first !== head || typeof index !== "number") out.push(e);
    else if (index < removed) out.push(e);
    else if (index > removed) out.push({ ...e, path: [first, index - 1, ...rest] });
  }
  return out;
}

/**
 * Keeps errors attached to the right rules after rules[removed] is deleted: its own errors
 * go, later rules' indices move down by one.
 */
export function afterRuleRemoved(errors: readonly FieldError[], removed: number): FieldError[] {
  return afterItemRemoved(errors, "rules", removed);
}

export function isApiError(x: unknown): x is ApiError {
  if (typeof x !== "object" || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    typeof o.message === "string" &&
    typeof o.code === "string" &&
    CODES.includes(o.code) &&
    (o.fields === undefined || Array.isArray(o.fields))
  );
}

/** Whatever a call rejected with, as an ApiError (plain strings and Errors become "internal"). */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) return e;
  if (e instanceof Error) return { code: "internal", message: e.message };
  if (typeof e === "string") return { code: "internal", message: e };
  return { code: "internal", message: String(e) };
}
