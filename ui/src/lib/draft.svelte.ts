// The config being edited, shared by the Rules, Notifications and Settings views: the saved
// copy, the draft bound to the forms, field errors (from live validation and from saving), and
// Save.
// The language and new app watches are the exceptions: each is saved at once on its own
// (setLanguage, addApp), leaving every other unsaved edit in the draft. Rule actions are kept
// exactly as loaded (only the config file sets them; Lookout ignores what the window sends).
import type { Backend } from "./backend";
import type { ApiError } from "./bindings/ApiError";
import type { AppConfig } from "./bindings/AppConfig";
import type { Config } from "./bindings/Config";
import type { FieldError } from "./bindings/FieldError";
import type { LanguageSetting } from "./bindings/LanguageSetting";
import type { RuleConfig } from "./bindings/RuleConfig";
import type { ChannelKind } from "./bindings/ChannelKind";
import { channelsToWire, newChannel, renameInRules } from "./channels";
import { COUNT_INVALID } from "./errorText";
import { afterItemRemoved, afterRuleRemoved, toApiError } from "./fieldErrors";
import { t } from "./i18n.svelte";

export type SaveState =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: number }
  /** Refused for field errors (code "invalid_config", or caught before asking). */
  | { kind: "invalid"; problems: number }
  | { kind: "failed"; error: ApiError };

const VALIDATE_DELAY_MS = 350;

const blankToNull = (s: string | null | undefined): string | null =>
  s == null || s.trim() === "" ? null : s;

const badNumber = (n: unknown) => typeof n !== "number" || !Number.isFinite(n);

/** The most reminders Lookout can count (repeat_max is a u32). */
const MAX_COUNT = 4_294_967_295;

/**
 * A count field (repeat_max) as sent: blank is null, a whole number from 0 up is itself;
 * undefined for anything else (a fraction, a negative, what the input could not read).
 */
export function countToWire(n: unknown): number | null | undefined {
  if (n == null || n === "") return null;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= MAX_COUNT ? n : undefined;
}

/** Whether the rule sends reminders at all, so that repeat_max applies. */
const reminds = (r: RuleConfig) => blankToNull(r.repeat_every) !== null;

/**
 * The config as the backend expects it: blank optional texts are absent (null), an empty
 * channel list means "every enabled channel", push channels as channelToWire() sends them
 * (none: absent). Pure; the draft itself is left as typed.
 */
export function toWire(config: Config): Config {
  const c = JSON.parse(JSON.stringify(config)) as Config;
  c.rules = c.rules.map(ruleToWire);
  const e = c.email;
  for (const k of ["ca_file", "username", "password_file", "subject", "body"] as const) e[k] = blankToNull(e[k]);
  e.port = badNumber(e.port) ? null : e.port;
  e.to = e.to.map((t) => t.trim()).filter((t) => t !== "");
  const channels = channelsToWire(c.channels);
  if (channels) c.channels = channels;
  else delete c.channels;
  return c;
}

/** One rule as the backend expects it (as in toWire); a copy, the draft is left as typed. */
export function ruleToWire(rule: RuleConfig): RuleConfig {
  const r = JSON.parse(JSON.stringify(rule)) as RuleConfig;
  return {
    ...r,
    for: blankToNull(r.for),
    keep_firing_for: blankToNull(r.keep_firing_for),
    repeat_every: blankToNull(r.repeat_every),
    only_when: blankToNull(r.only_when),
    // Kept in the draft but not sent while repeat_every is empty (its field is disabled then).
    repeat_max: reminds(rule) ? (countToWire(rule.repeat_max) ?? null) : null,
    channels: r.channels && r.channels.length > 0 ? r.channels : null,
    clear_threshold: badNumber(r.clear_threshold) ? null : r.clear_threshold,
    min_coverage: badNumber(r.min_coverage) ? null : r.min_coverage,
  };
}

/**
 * Problems the form can see before asking the backend (a number field left empty, a count
 * that is no whole number).
 */
export function localErrors(config: Config): FieldError[] {
  const out: FieldError[] = [];
  config.rules.forEach((r, i) => {
    if (badNumber(r.threshold))
      out.push({
        path: ["rules", i, "threshold"],
        code: "rule.threshold.missing",
        params: {},
        message: "a threshold is needed, like 80",
      });
    if (reminds(r) && countToWire(r.repeat_max) === undefined)
      out.push({
        path: ["rules", i, "repeat_max"],
        code: COUNT_INVALID,
        params: {},
        message: "write a whole number from 0 to 4294967295, like 3, or leave it empty for no cap",
      });
  });
  return out;
}

/** A config with `language` set as the config file writes it: absent means "auto". */
export function withLanguage(config: Config, setting: LanguageSetting): Config {
  const c = JSON.parse(JSON.stringify(config)) as Config;
  if (setting === "auto") delete c.language;
  else c.language = setting;
  return c;
}

/** A config with one more app watch at the end of `apps`. */
export function withApp(config: Config, app: AppConfig): Config {
  const c = JSON.parse(JSON.stringify(config)) as Config;
  c.apps = [...(c.apps ?? []), JSON.parse(JSON.stringify(app)) as AppConfig];
  return c;
}

/** JSON with every object's keys sorted: equal configs give equal text whatever the key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A name not used by any rule yet: "New rule", "New rule 2", ... */
export function freeName(base: string, rules: readonly RuleConfig[]): string {
  const taken = new Set(rules.map((r) => r.name.trim()));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
}

export class ConfigDraft {
  saved = $state.raw<Config | null>(null);
  draft = $state<Config | null>(null);
  /** Stable keys for the rules in the draft (the config itself must carry no extra fields). */
  ruleKeys = $state<number[]>([]);
  /** The same for the push channels. */
  channelKeys = $state<number[]>([]);
  serverErrors = $state.raw<FieldError[]>([]);
  saveState = $state<SaveState>({ kind: "idle" });
  loadError = $state.raw<ApiError | null>(null);

  errors = $derived(this.draft ? [...localErrors(this.draft), ...this.serverErrors] : []);
  dirty = $derived(
    this.draft !== null && canonical(toWire(this.draft)) !== canonical(this.saved && toWire(this.saved)),
  );

  private nextKey = 1;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly backend: Backend) {}

  private adopt(config: Config): void {
    this.saved = config;
    this.draft = JSON.parse(JSON.stringify(config)) as Config;
    this.ruleKeys = config.rules.map(() => this.nextKey++);
    this.channelKeys = (config.channels ?? []).map(() => this.nextKey++);
  }

  async load(): Promise<void> {
    try {
      this.adopt(await this.backend.getConfig());
      this.loadError = null;
    } catch (e) {
      this.loadError = toApiError(e);
    }
  }

  /** Live validation: asks the backend shortly after the user stops typing. */
  scheduleValidate(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.validateNow(), VALIDATE_DELAY_MS);
  }

  async validateNow(): Promise<void> {
    if (!this.draft || localErrors(this.draft).length > 0) return;
    const seq = ++this.seq;
    try {
      const errors = await this.backend.validateConfig(toWire(this.draft));
      if (seq === this.seq) this.serverErrors = errors;
    } catch {
      // Live validation is a convenience; Save reports problems for real.
    }
  }

  /** Saves the whole draft; on refusal the draft stays exactly as typed. */
  async save(): Promise<boolean> {
    if (!this.draft) return false;
    if (this.timer !== null) clearTimeout(this.timer);
    const seq = ++this.seq;
    const local = localErrors(this.draft);
    if (local.length > 0) {
      this.saveState = { kind: "invalid", problems: local.length };
      return false;
    }
    this.saveState = { kind: "saving" };
    const sent = toWire(this.draft);
    try {
      const saved = await this.backend.setConfig(sent);
      if (seq !== this.seq) return false;
      this.serverErrors = [];
      this.saved = saved;
      // Show what was stored (the backend may normalise it), unless the user typed meanwhile.
      const untouched = JSON.stringify(toWire(this.draft)) === JSON.stringify(sent);
      if (untouched && saved.rules.length === this.draft.rules.length && JSON.stringify(toWire(saved)) !== JSON.stringify(sent))
        this.draft = JSON.parse(JSON.stringify(saved)) as Config;
      this.saveState = { kind: "saved", at: Date.now() };
      return true;
    } catch (e) {
      const err = toApiError(e);
      if (err.code === "invalid_config") {
        this.serverErrors = err.fields ?? [];
        this.saveState = { kind: "invalid", problems: this.serverErrors.length };
      } else {
        this.saveState = { kind: "failed", error: err };
      }
      return false;
    }
  }

  /**
   * Saves only the language: the saved config with `language` changed, whatever the draft
   * holds. The draft takes the new language too and keeps every other unsaved edit (it stays
   * dirty if it was). Resolves with the config as saved; rejects with the ApiError.
   */
  async setLanguage(setting: LanguageSetting): Promise<Config> {
    if (!this.saved) throw toApiError(new Error("the config is not loaded yet"));
    const saved = await this.backend.setConfig(toWire(withLanguage(this.saved, setting)));
    this.saved = saved;
    if (this.draft) {
      if (saved.language === undefined) delete this.draft.language;
      else this.draft.language = saved.language;
    }
    return saved;
  }

  /**
   * Saves a new app watch: the saved config with `app` added at the end of `apps`, whatever
   * the draft holds. The draft takes the saved watches too and keeps every other unsaved edit.
   * Resolves with the config as saved; rejects with the ApiError (code "invalid_config" with
   * field errors at ["apps", <its index>, ...] when Lookout refuses the watch).
   */
  async addApp(app: AppConfig): Promise<Config> {
    if (!this.saved) throw toApiError(new Error("the config is not loaded yet"));
    const saved = await this.backend.setConfig(toWire(withApp(this.saved, app)));
    this.saved = saved;
    if (this.draft) {
      if (saved.apps === undefined) delete this.draft.apps;
      else this.draft.apps = JSON.parse(JSON.stringify(saved.apps)) as AppConfig[];
    }
    return saved;
  }

  /** Drops every unsaved change. */
  revert(): void {
    if (this.saved) this.adopt(this.saved);
    this.serverErrors = [];
    this.saveState = { kind: "idle" };
  }

  addRule(): number {
    if (!this.draft) return -1;
    this.draft.rules.push({
      name: freeName(t("ui-rule-new-name"), this.draft.rules), metric: "cpu.total", aggregate: "avg",
      window: "5m", op: ">", threshold: 80, notify_resolved: true, severity: "warning", enabled: true,
    });
    this.ruleKeys.push(this.nextKey++);
    return this.draft.rules.length - 1;
  }

  duplicateRule(i: number): number {
    if (!this.draft || !this.draft.rules[i]) return -1;
    const copy = JSON.parse(JSON.stringify(this.draft.rules[i])) as RuleConfig;
    copy.name = freeName(t("ui-rule-copy-name", { name: copy.name.trim() }), this.draft.rules);
    // Lookout keeps actions by rule name from the config file: a copy has none.
    delete copy.actions;
    this.draft.rules.splice(i + 1, 0, copy);
    this.ruleKeys.splice(i + 1, 0, this.nextKey++);
    this.serverErrors = this.serverErrors.filter((e) => e.path[0] !== "rules");
    this.scheduleValidate();
    return i + 1;
  }

  removeRule(i: number): void {
    if (!this.draft || !this.draft.rules[i]) return;
    this.draft.rules.splice(i, 1);
    this.ruleKeys.splice(i, 1);
    this.serverErrors = afterRuleRemoved(this.serverErrors, i);
  }

  /** Adds a push channel of `kind` with a free name at the end; its index. */
  addChannel(kind: ChannelKind): number {
    if (!this.draft) return -1;
    this.draft.channels = [...(this.draft.channels ?? []), newChannel(kind, this.draft.channels ?? [])];
    this.channelKeys.push(this.nextKey++);
    return this.draft.channels.length - 1;
  }

  /** Removes channels[i] from the draft (rules naming it keep the name: Lookout reports them). */
  removeChannel(i: number): void {
    if (!this.draft?.channels?.[i]) return;
    this.draft.channels.splice(i, 1);
    this.channelKeys.splice(i, 1);
    this.serverErrors = afterItemRemoved(this.serverErrors, "channels", i);
  }

  /** Rules naming channel `from` name `to` instead (after the channel was renamed in the form). */
  renameChannel(from: string, to: string): void {
    if (!this.draft || from === to || from.trim() === "" || to.trim() === "") return;
    if (!this.draft.rules.some((r) => r.channels?.includes(from))) return;
    this.draft.rules = renameInRules($state.snapshot(this.draft) as Config, from, to).rules;
  }
}
