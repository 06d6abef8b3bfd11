// A TypeScript mirror of lookout-core's Config::validate, for the in-memory fake backend only
// (browser dev and tests). The real checks run in Rust; messages follow the same wording.
import type { Config } from "../bindings/Config";
import type { EmailConfig } from "../bindings/EmailConfig";
import type { FieldError } from "../bindings/FieldError";
import type { PathSegment } from "../bindings/PathSegment";
import type { QuietHoursConfig } from "../bindings/QuietHoursConfig";
import type { RuleConfig } from "../bindings/RuleConfig";

export const PLACEHOLDERS = [
  "rule", "state", "metric", "value", "threshold", "op",
  "aggregate", "window", "severity", "host", "since", "at",
] as const;

const UNITS: Record<string, number> = {
  ms: 1, msec: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/** Parses "500ms", "90s", "5m", "1h 30m" into milliseconds, or says what is accepted. */
export function parseDuration(text: string): number | string {
  const trimmed = text.trim();
  if (trimmed.startsWith("-"))
    return `'${text}' is negative; durations must be zero or positive, like '90s', '5m' or '1h'`;
  const bad = `'${text}' is not a duration; write a number and a unit, like '500ms', '90s', '5m' or '1h'`;
  const parts = trimmed.match(/\d+(\.\d+)?\s*[a-z]+/g);
  if (!trimmed || !parts || parts.join("").replace(/\s/g, "") !== trimmed.replace(/\s/g, ""))
    return bad;
  let total = 0;
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(part);
    const unit = m ? UNITS[m[2]] : undefined;
    if (!m || unit === undefined) return bad;
    total += Number(m[1]) * unit;
  }
  return total;
}

const METRIC_FORMS =
  "cpu.total, cpu.core.N, mem.used_pct, mem.used_bytes, swap.used_pct, load.1, load.5, " +
  "load.15, disk.<mount>.used_pct (e.g. disk./.used_pct), net.<iface>.rx_bps, " +
  "net.<iface>.tx_bps, temp.<sensor>";

export function metricKeyError(key: string): string | null {
  const fixed = ["cpu.total", "mem.used_pct", "mem.used_bytes", "swap.used_pct", "load.1", "load.5", "load.15"];
  const ok =
    fixed.includes(key) ||
    /^cpu\.core\.\d+$/.test(key) ||
    /^disk\.\/.*\.used_pct$/.test(key) ||
    /^net\..+\.(rx|tx)_bps$/.test(key) ||
    /^temp\..+$/.test(key);
  return ok ? null : `unknown metric '${key}'; expected one of ${METRIC_FORMS}`;
}

export function mailboxError(text: string): string | null {
  const bad = `'${text}' is not an email address; write 'me@example.com' or 'Me <me@example.com>'`;
  const open = text.indexOf("<");
  const close = text.lastIndexOf(">");
  let addr: string;
  if (open >= 0 && close > open && text.slice(close + 1).trim() === "") addr = text.slice(open + 1, close);
  else if (open < 0 && close < 0) addr = text.trim();
  else return bad;
  const at = addr.indexOf("@");
  const ok =
    at > 0 && at < addr.length - 1 && !addr.slice(at + 1).includes("@") && !/[\s,\p{Cc}]/u.test(addr);
  return ok && !/\p{Cc}/u.test(text) ? null : bad;
}

/** "HH:MM" (24-hour clock) to minutes after midnight, or what is accepted. */
export function parseTimeOfDay(text: string): number | string {
  const m = /^(\d{2}):(\d{2})$/.exec(text.trim());
  if (m && Number(m[1]) <= 23 && Number(m[2]) <= 59) return Number(m[1]) * 60 + Number(m[2]);
  return `'${text}' is not a time of day; write hours and minutes, like '22:00' or '07:30'`;
}

function validateQuietHours(quiet: QuietHoursConfig, push: (path: PathSegment[], msg: string) => void) {
  const start = parseTimeOfDay(quiet.start);
  const end = parseTimeOfDay(quiet.end);
  if (typeof start === "string") push(["quiet_hours", "start"], start);
  if (typeof end === "string") push(["quiet_hours", "end"], end);
  if (typeof start === "number" && start === end)
    push(["quiet_hours", "end"], `'${quiet.end}' is when quiet hours start; the end must differ, like '07:00' after '22:00'`);
}

function validateEmail(email: EmailConfig, push: (path: PathSegment[], msg: string) => void) {
  const at = (f: string) => ["email", f];
  if (email.port === 0)
    push(at("port"), "'0' is not a port; use the SMTP server's port, usually 587 (starttls), 465 (tls) or 25");
  for (const field of ["subject", "body"] as const) {
    const t = email[field];
    if (!t) continue;
    const unknown = [...new Set([...t.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]))].filter(
      (name) => !(PLACEHOLDERS as readonly string[]).includes(name),
    );
    if (unknown.length)
      push(at(field), `unknown placeholder ${unknown.map((u) => `'{${u}}'`).join(", ")}; accepted: ${PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}`);
  }
  if (email.subject && /[\r\n]/.test(email.subject)) push(at("subject"), "a subject template must be one line");
  if (email.username != null && email.username.trim() === "")
    push(at("username"), "an empty username; remove the line to send without AUTH");
  for (const field of ["ca_file", "password_file"] as const) {
    const p = email[field];
    if (p != null && p.trim() === "") push(at(field), "an empty path; give a file path or remove the line");
  }
  if (!email.enabled) return;
  if (email.host.trim() === "" || /\s/.test(email.host))
    push(at("host"), `'${email.host}' is not a host name; give the SMTP server, like 'smtp.example.com'`);
  if (email.from.trim() === "") push(at("from"), "a sender is needed, like 'Lookout <alerts@example.com>'");
  else {
    const e = mailboxError(email.from);
    if (e) push(at("from"), e);
  }
  if (email.to.length === 0) push(at("to"), 'at least one recipient is needed, like ["me@example.com"]');
  email.to.forEach((rcpt, i) => {
    const e = mailboxError(rcpt);
    if (e) push(["email", "to", i], e);
  });
}

function validateRule(
  rc: RuleConfig,
  i: number,
  intervalMs: number | null,
  emailEnabled: boolean,
  push: (path: PathSegment[], msg: string) => void,
) {
  const at = (f: string): PathSegment[] => ["rules", i, f];
  if (rc.name.trim() === "") push(at("name"), "a rule needs a name; write a short phrase like 'CPU busy'");
  const metricErr = metricKeyError(rc.metric);
  if (metricErr) push(at("metric"), metricErr);
  const duration = (field: string, text: string | null | undefined): number | null => {
    if (text == null) return null;
    const d = parseDuration(text);
    if (typeof d === "string") {
      push(at(field), d);
      return null;
    }
    return d;
  };
  const window = duration("window", rc.window);
  duration("for", rc.for);
  duration("keep_firing_for", rc.keep_firing_for);
  duration("repeat_every", rc.repeat_every);
  if (window !== null && intervalMs !== null) {
    if (window < intervalMs)
      push(at("window"), `'${rc.window}' is shorter than the sampling interval; a window must span at least one sample`);
    else if (window > 86_400_000)
      push(at("window"), `'${rc.window}' is longer than 24h, the longest window kept in memory`);
  }
  if (!Number.isFinite(rc.threshold)) push(at("threshold"), `'${rc.threshold}' is not a finite number`);
  const clear = rc.clear_threshold ?? rc.threshold;
  const upper = rc.op === ">" || rc.op === ">=";
  if (!Number.isFinite(clear)) push(at("clear_threshold"), `'${clear}' is not a finite number`);
  else if (upper && clear > rc.threshold)
    push(at("clear_threshold"), `'${clear}' is above the threshold '${rc.threshold}'; with '${rc.op}' the alert clears at or below the threshold`);
  else if (!upper && clear < rc.threshold)
    push(at("clear_threshold"), `'${clear}' is below the threshold '${rc.threshold}'; with '${rc.op}' the alert clears at or above the threshold`);
  const cov = rc.min_coverage ?? 0.9;
  if (!(cov > 0 && cov <= 1))
    push(at("min_coverage"), `'${cov}' is out of range; use a fraction above 0 and at most 1, like 0.9`);
  const seen: string[] = [];
  (rc.channels ?? []).forEach((name, j) => {
    const p: PathSegment[] = ["rules", i, "channels", j];
    if (name !== "desktop" && name !== "email") push(p, `unknown channel '${name}'; expected 'desktop' or 'email'`);
    else if (name === "email" && !emailEnabled)
      push(p, "'email' is not enabled; set [email] enabled = true or remove it from channels");
    else if (seen.includes(name)) push(p, `'${name}' is listed twice`);
    else seen.push(name);
  });
}

/** Every problem of a config at once; empty means valid. */
export function validateConfig(config: Config): FieldError[] {
  const errors: FieldError[] = [];
  const push = (path: PathSegment[], message: string) => errors.push({ path, message });
  if (config.version !== 1)
    push(["version"], `unsupported config version '${config.version}'; this Lookout reads version 1`);
  let intervalMs: number | null = null;
  const iv = parseDuration(config.sampling.interval);
  if (typeof iv === "string") push(["sampling", "interval"], iv);
  else if (iv < 100 || iv > 3_600_000)
    push(["sampling", "interval"], `'${config.sampling.interval}' is out of range; use a duration from 100ms to 1h`);
  else intervalMs = iv;
  validateEmail(config.email, push);
  validateQuietHours(config.quiet_hours, push);
  const names = new Map<string, number>();
  config.rules.forEach((rc, i) => {
    const name = rc.name.trim();
    const first = names.get(name);
    if (first !== undefined)
      push(["rules", i, "name"], `'${rc.name}' is already the name of rules[${first}]; rule names must be unique`);
    else if (name) names.set(name, i);
    validateRule(rc, i, intervalMs, config.email.enabled, push);
  });
  return errors;
}
