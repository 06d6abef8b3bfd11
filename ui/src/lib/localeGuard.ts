// Under LANG=C or C.UTF-8, WebKitGTK reports navigator.language as "C", which Intl rejects
// with a RangeError; uPlot builds an Intl.NumberFormat from it while loading, which would
// leave the window blank. Imported first by main.ts so it runs before any library.

/** Whether Intl accepts this language tag. */
export function usableLocale(tag: string | undefined): boolean {
  if (!tag) return false;
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

/** Replaces an unusable navigator.language (and languages) with "en-US". */
export function guardLocale(nav: Navigator | undefined = globalThis.navigator): boolean {
  if (!nav || usableLocale(nav.language)) return false;
  const usable = (nav.languages ?? []).filter(usableLocale);
  const fallback = usable[0] ?? "en-US";
  Object.defineProperty(nav, "language", { value: fallback, configurable: true });
  Object.defineProperty(nav, "languages", { value: Object.freeze([fallback, ...usable.slice(1)]), configurable: true });
  return true;
}

guardLocale();
