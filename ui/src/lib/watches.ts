// App watches in the window: the names Lookout accepts, the "add a watch" picker's groups of
// running processes and its search, the watch it proposes for a group, and the problems the
// form can see before asking Lookout (the same codes and params as Lookout's validator, so
// the messages are the `field-app-*` ones). Lookout checks everything again when saving.
import type { AppConfig } from "./bindings/AppConfig";
import type { AppMatch } from "./bindings/AppMatch";
import type { FieldError } from "./bindings/FieldError";
import type { ProcessEntry } from "./bindings/ProcessEntry";
import { t } from "./i18n.svelte";

/** The longest name or match value Lookout accepts, in characters. */
export const MAX_NAME_CHARS = 200;

/** What the form matches on: one criterion of AppMatch. */
export type Criterion = "process" | "exe" | "cmdline";
export const CRITERIA: readonly Criterion[] = ["process", "exe", "cmdline"];

// Control characters (C0, DEL, C1) and bidirectional-text controls, as Lookout forbids them.
const FORBIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
// What a watch name may not hold besides: metric keys carry it (app.<name>.running).
const NOT_IN_NAME = /[.{}\s\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const NOT_IN_NAME_ALL = new RegExp(NOT_IN_NAME.source + "+", "gu");

const chars = (s: string) => [...s].length;

/** Whether Lookout accepts `name` as a watch name (not counting duplicates). */
export function isValidWatchName(name: string): boolean {
  return name.trim() !== "" && chars(name) <= MAX_NAME_CHARS && !NOT_IN_NAME.test(name);
}

/**
 * A valid watch name made from any text (a process name): every run of dots, braces, spaces
 * and control characters becomes one "-", none at either end; "app" if nothing is left.
 */
export function sanitizeWatchName(raw: string): string {
  const cleaned = raw.normalize("NFC").replace(NOT_IN_NAME_ALL, "-").replace(/-{2,}/g, "-").replace(/^-+|-+$/g, "");
  return [...cleaned].slice(0, MAX_NAME_CHARS).join("") || "app";
}

/** `base` if no watch has it yet, else "base-2", "base-3", ... (all within the length limit). */
export function uniqueWatchName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const name = [...base].slice(0, MAX_NAME_CHARS - suffix.length).join("") + suffix;
    if (!used.has(name)) return name;
  }
}

/** The processes of one executable (or, when the executable is unknown, of one name). */
export type ProcessGroup = {
  /** "exe:/usr/bin/x" or "name:x": stable across refreshes. */
  key: string;
  exe: string | null;
  /** The process name a watch would be named after. */
  name: string;
  count: number;
  cpu: number;
  rss: number;
  users: string[];
  processes: ProcessEntry[];
};

const basename = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/**
 * The name that stands for a group: a process name that is the executable's own (the kernel
 * cuts names to 15 characters), else the commonest name, the busiest first on a tie.
 */
function groupName(exe: string | null, processes: ProcessEntry[]): string {
  const counts = new Map<string, number>();
  for (const p of processes) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
  if (exe) {
    const own = basename(exe);
    const same = [...counts.keys()].find((n) => n === own || (n.length === 15 && own.startsWith(n)));
    if (same) return same;
  }
  let best = processes[0]?.name ?? "";
  for (const [name, n] of counts) if (n > (counts.get(best) ?? 0)) best = name;
  return best;
}

/** The running processes grouped by executable (by name when it is unknown), busiest first. */
export function groupProcesses(list: readonly ProcessEntry[]): ProcessGroup[] {
  const byKey = new Map<string, ProcessEntry[]>();
  for (const p of list) {
    const key = p.exe ? `exe:${p.exe}` : `name:${p.name}`;
    const members = byKey.get(key);
    if (members) members.push(p);
    else byKey.set(key, [p]);
  }
  const groups: ProcessGroup[] = [];
  for (const [key, processes] of byKey) {
    const exe = processes[0].exe;
    const users = [...new Set(processes.map((p) => p.user).filter((u): u is string => u !== null))].sort();
    groups.push({
      key, exe, name: groupName(exe, processes), count: processes.length, users, processes,
      cpu: processes.reduce((s, p) => s + (Number.isFinite(p.cpu_pct) ? p.cpu_pct : 0), 0),
      rss: processes.reduce((s, p) => s + (Number.isFinite(p.rss_bytes) ? p.rss_bytes : 0), 0),
    });
  }
  return groups.sort((a, b) => b.cpu - a.cpu || b.rss - a.rss || a.name.localeCompare(b.name));
}

/**
 * The groups that match a search: every word of `query` is found (ignoring case) in the
 * group's name or executable, or in a name, executable, command line or user of its processes.
 */
export function searchGroups(groups: readonly ProcessGroup[], query: string): ProcessGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...groups];
  return groups.filter((g) => {
    const text = [g.name, g.exe ?? "", ...g.processes.flatMap((p) => [p.name, p.exe ?? "", p.cmdline, p.user ?? ""])]
      .join("\n")
      .toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** The watch picking a group proposes: named after its process, matched by executable if known. */
export function proposeWatch(group: ProcessGroup, apps: readonly AppConfig[]): AppConfig {
  const name = uniqueWatchName(sanitizeWatchName(group.name), apps.map((a) => a.name));
  const match: AppMatch = group.exe ? { exe: group.exe } : { process: group.name };
  return { name, match, include_children: true };
}

/** The one criterion and value of a match the form can edit (exe first, as proposals use it). */
export function criterionOf(match: AppMatch): { criterion: Criterion; value: string } {
  for (const c of ["exe", "process", "cmdline"] as const) {
    const v = match[c];
    if (v !== null && v !== undefined) return { criterion: c, value: v };
  }
  return { criterion: "process", value: "" };
}

/** A match on one criterion. */
export function matchOf(criterion: Criterion, value: string): AppMatch {
  return { [criterion]: value };
}

const err = (path: FieldError["path"], code: FieldError["code"], message: string, params: Record<string, string> = {}): FieldError => ({
  path, code, params, message,
});

function textProblem(path: FieldError["path"], text: string): FieldError | null {
  const length = chars(text);
  if (length > MAX_NAME_CHARS)
    return err(path, "name.too_long", `it is ${length} characters long; at most ${MAX_NAME_CHARS} are accepted`, {
      length: String(length), max: String(MAX_NAME_CHARS),
    });
  if (FORBIDDEN.test(text))
    return err(path, "name.control_chars", "it holds control characters; use printable text only", { value: text });
  return null;
}

/**
 * What is plainly wrong with a new watch that would be `apps[index]` after `existing`: a
 * missing, unusable or taken name; no criterion, an empty value, an executable that is not
 * an absolute path. Regular expressions are left to Lookout (its syntax is not JavaScript's).
 */
export function localWatchErrors(app: AppConfig, index: number, existing: readonly AppConfig[]): FieldError[] {
  const out: FieldError[] = [];
  const at = (...rest: (string | number)[]) => ["apps", index, ...rest];
  const name = app.name;
  if (name.trim() === "") out.push(err(at("name"), "app.name.missing", "a watch needs a name; rules use it as app.<name>.running"));
  else {
    const problem = textProblem(at("name"), name);
    if (problem) out.push(problem);
    else if (NOT_IN_NAME.test(name))
      out.push(err(at("name"), "app.name.invalid", `'${name}' cannot name a watch: it may not hold dots, braces or spaces`, { value: name }));
    const first = existing.findIndex((a) => a.name === name);
    if (first >= 0)
      out.push(err(at("name"), "app.name.duplicate", `'${name}' is already the name of apps[${first}]`, { value: name, first: String(first) }));
  }
  const criteria = (["process", "exe", "cmdline", "unit", "user"] as const).filter((k) => app.match[k] != null);
  if (criteria.length === 0) out.push(err(at("match"), "app.match.empty", "a match needs at least one criterion"));
  for (const k of criteria) {
    const value = app.match[k] as string;
    const path = at("match", k);
    if (value.trim() === "") {
      out.push(err(path, "app.match.field_empty", `match.${k} is empty`, { field: k }));
      continue;
    }
    const problem = textProblem(path, value);
    if (problem) out.push(problem);
    else if (k === "exe" && !value.startsWith("/"))
      out.push(err(path, "app.match.exe_not_absolute", `'${value}' is not an absolute path`, { value }));
  }
  return out;
}

/** A watch's match in words: "program /usr/bin/x · user dev". */
export function matchSummary(match: AppMatch): string {
  const parts: string[] = [];
  if (match.process != null) parts.push(t("ui-watch-match-process", { value: match.process }));
  if (match.exe != null) parts.push(t("ui-watch-match-exe", { value: match.exe }));
  if (match.cmdline != null) parts.push(t("ui-watch-match-cmdline", { value: match.cmdline }));
  if (match.unit != null) parts.push(t("ui-watch-match-unit", { value: match.unit }));
  if (match.user != null) parts.push(t("ui-watch-match-user", { value: match.user }));
  return parts.join(" · ");
}
