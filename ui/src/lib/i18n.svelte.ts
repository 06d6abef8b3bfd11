// The window's language and words: the Fluent catalogs shared with Lookout's Rust side
// (locales/en.ftl, locales/ko.ftl), the current language (the one Lookout resolved, from its
// status: never navigator.language, so the window and the tray always agree), t() to turn a
// message id into text, and Intl formatters for the current language.
//
// Message ids are always written as literals, t("ui-nav-overview"): the catalog tests look
// every id up as a quoted string in the sources.
import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";
import enFtl from "../../../locales/en.ftl?raw";
import koFtl from "../../../locales/ko.ftl?raw";
import type { Language } from "./bindings/Language";

export type { Language };
export type Args = Record<string, FluentVariable>;

export const LANGUAGES: readonly Language[] = ["en", "ko"];

/** Reports a catalog problem once: loud in dev and tests (they fail on console errors). */
const reported = new Set<string>();
function report(problem: string): void {
  if (reported.has(problem)) return;
  reported.add(problem);
  console.error(`i18n: ${problem}`);
}

function bundle(lang: Language, source: string): FluentBundle {
  // No Unicode isolation marks around values, as on the Rust side.
  const b = new FluentBundle(lang, { useIsolating: false });
  for (const e of b.addResource(new FluentResource(source))) report(`${lang}.ftl: ${e.message}`);
  return b;
}

const BUNDLES: Record<Language, FluentBundle> = { en: bundle("en", enFtl), ko: bundle("ko", koFtl) };

const state = $state<{ lang: Language; ready: boolean }>({ lang: "en", ready: false });

/** The language the window speaks now (English until Lookout said otherwise). */
export function language(): Language {
  return state.lang;
}

/** Whether the window knows its language yet (until then it shows no words at all). */
export function languageKnown(): boolean {
  return state.ready;
}

/**
 * Speaks `lang` from now on ("ko" is Korean, anything else English) and sets <html lang>.
 * Everything that called t() or a formatter re-renders.
 */
export function setLanguage(lang: string | null | undefined): void {
  const next: Language = lang === "ko" ? "ko" : "en";
  state.lang = next;
  state.ready = true;
  if (typeof document !== "undefined") document.documentElement.lang = next;
}

/** Whether the catalog of the current language has message `id`. */
export function hasMessage(id: string): boolean {
  return BUNDLES[state.lang].hasMessage(id);
}

/** Message `id` in the current language with `args`; a missing message is reported and shows its id. */
export function t(id: string, args?: Args): string {
  const b = BUNDLES[state.lang];
  const pattern = b.getMessage(id)?.value;
  if (!pattern) {
    report(`no message '${id}' in ${state.lang}.ftl`);
    return id;
  }
  const errors: Error[] = [];
  const text = b.formatPattern(pattern, args ?? null, errors);
  for (const e of errors) report(`'${id}' in ${state.lang}.ftl: ${e.message}`);
  return text;
}

/** Like t(), but undefined instead of a report when the catalog lacks `id` (for ids made from codes). */
export function tryMessage(id: string, args?: Args): string | undefined {
  return hasMessage(id) ? t(id, args) : undefined;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const listFormats = new Map<string, Intl.ListFormat>();

/** An Intl.NumberFormat for the current language (cached). */
export function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${state.lang} ${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(state.lang, options)));
  return f;
}

/** An Intl.DateTimeFormat for the current language (cached); Korean reads a 24-hour clock. */
export function dateTimeFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${state.lang} ${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) {
    const hours = options.hour !== undefined || options.timeStyle !== undefined;
    const clock: Intl.DateTimeFormatOptions = state.lang === "ko" && hours ? { hourCycle: "h23" } : {};
    dateFormats.set(key, (f = new Intl.DateTimeFormat(state.lang, { ...options, ...clock })));
  }
  return f;
}

/** An Intl.ListFormat ("a, b and c") for the current language (cached). */
export function listFormat(): Intl.ListFormat {
  let f = listFormats.get(state.lang);
  if (!f) listFormats.set(state.lang, (f = new Intl.ListFormat(state.lang, { style: "long", type: "conjunction" })));
  return f;
}
