// The alert log as CSV (RFC 4180), for the alert view's "Export CSV": one row per entry with
// the time in RFC 3339 (UTC), the rule, its state, severity, metric, value and threshold, then
// the processes it named and the actions it ran. Data for other tools, not text to read: codes
// and keys as Lookout writes them (firing, cpu.total), the same in every window language.
// Fields a spreadsheet would run as a formula are defused with a leading single quote.
import type { ActionOutcome } from "./bindings/ActionOutcome";
import type { ActionRun } from "./bindings/ActionRun";
import type { Culprit } from "./bindings/Culprit";
import type { GaveUp } from "./bindings/GaveUp";
import type { LoggedAlert } from "./bindings/LoggedAlert";
import type { Timestamp } from "./bindings/Timestamp";
import { commandText } from "./actions";

/** The header row: column names are stable keys, like the metric keys in the rows. */
export const CSV_COLUMNS = ["time", "rule", "state", "severity", "metric", "value", "threshold", "culprits", "actions"] as const;

/** RFC 4180 ends every record with CRLF. */
const EOL = "\r\n";

/** First characters that make a spreadsheet read a cell as a formula (tab and CR as OWASP lists them). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A number as written by csvNumber(): a spreadsheet reads it as a number, never a formula. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/;

/**
 * `text` made harmless to a spreadsheet: a field that starts with =, +, -, @, a tab or a CR
 * gets a leading single quote, so it shows as text instead of running. Plain numbers (-5, -0.25)
 * are left as they are: they are read as numbers, not formulas.
 */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One field of a record: quoted (inner quotes doubled) when it holds a quote, comma, CR or LF. */
export function csvField(text: string): string {
  const safe = defuseFormula(text);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record with its CRLF. */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(",") + EOL;
}

/**
 * A number as a field, as JavaScript writes numbers, to 12 significant digits: more than any
 * reading means, and short of the noise of adding up doubles (79.833, not 79.83299999999993).
 * Empty for no reading.
 */
export function csvNumber(v: number | null | undefined): string {
  return typeof v === "number" && Number.isFinite(v) ? String(Number(v.toPrecision(12))) : "";
}

/** An instant in RFC 3339, in UTC with milliseconds: 2026-05-01T09:30:00.000Z. */
export function rfc3339(at: Timestamp): string {
  return new Date(at).toISOString();
}

/** How a run ended, as a code: exited 0, signalled 9, timed_out, not_started: why. */
function outcomeCode(o: ActionOutcome): string {
  switch (o.kind) {
    case "exited":
      return `exited ${o.code}`;
    case "signalled":
      return `signalled ${o.signal}`;
    case "timed_out":
      return "timed_out";
    case "not_started":
      return `not_started: ${o.error}`;
  }
}

/** A process an alert named, on one line: pid=…, name=…, user=…, cpu_pct=…, rss_bytes=…, command=…. */
function culpritText(c: Culprit): string {
  const parts = [`pid=${c.pid}`, `name=${c.name}`];
  if (c.user !== null) parts.push(`user=${c.user}`);
  if (c.cpu_pct !== null && Number.isFinite(c.cpu_pct)) parts.push(`cpu_pct=${c.cpu_pct}`);
  parts.push(`rss_bytes=${c.rss_bytes}`, `command=${c.command}`);
  return parts.join("; ");
}

/** A run of an action, on one line: the transition that ran it, how it ended, how long it took, the command. */
function runText(r: ActionRun): string {
  return [`trigger=${r.trigger}`, `outcome=${outcomeCode(r.outcome)}`, `took_ms=${r.finished - r.started}`, `command=${commandText(r.command)}`].join("; ");
}

/** The action a gave_up event stopped running, on one line. */
function gaveUpText(g: GaveUp): string {
  const parts = [`gave_up runs=${g.runs}`];
  if (g.within !== null) parts.push(`within=${g.within}`);
  parts.push(`command=${commandText(g.command)}`);
  return parts.join("; ");
}

/** The fields of one entry, in CSV_COLUMNS order; several processes or runs are one per line. */
export function alertFields(a: LoggedAlert): string[] {
  const e = a.event;
  const actions = (a.actions ?? []).map(runText);
  if (e.gave_up) actions.push(gaveUpText(e.gave_up));
  return [
    rfc3339(e.at),
    e.rule,
    e.state,
    e.severity,
    e.metric,
    csvNumber(e.value),
    csvNumber(e.threshold),
    (e.culprits ?? []).map(culpritText).join("\n"),
    actions.join("\n"),
  ];
}

/** `alerts`, in their order, as a CSV document: the header row, then one record per entry. */
export function alertsCsv(alerts: readonly LoggedAlert[]): string {
  return csvRecord(CSV_COLUMNS) + alerts.map((a) => csvRecord(alertFields(a))).join("");
}

/** The name to save an export as, from the local time it was made: lookout-alerts-20260501-0930.csv. */
export function csvFileName(now: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const day = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}`;
  return `lookout-alerts-${day}-${two(now.getHours())}${two(now.getMinutes())}.csv`;
}

/** Put before the text of a saved file: Excel then reads it as UTF-8 (Korean rule names), not the ANSI code page. */
export const UTF8_BOM = "\uFEFF";
