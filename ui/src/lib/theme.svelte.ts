// The window's colour theme: light or dark, following the OS (prefers-color-scheme) unless
// the user picked one in Settings. The choice is this window's display preference, kept in
// localStorage ("lookout.theme"), never in the monitor's config.
//
// It is applied as <html data-theme="light|dark"> for a picked theme and no attribute for
// "system" (app.css then follows the OS query). main.ts calls startTheme() before mounting,
// so the first paint already has the right colours. theme() is the effective theme
// (reactive); onThemeChange() tells code that reads colours itself (the uPlot charts) once the
// new colours apply.

export type ThemeChoice = "system" | "light" | "dark";
export type Theme = "light" | "dark";

export const THEME_CHOICES: readonly ThemeChoice[] = ["system", "light", "dark"];
export const THEME_KEY = "lookout.theme";
export const DARK_QUERY = "(prefers-color-scheme: dark)";

/** A stored choice; anything unknown (nothing stored, an old or garbled value) is "system". */
export function parseThemeChoice(stored: unknown): ThemeChoice {
  return stored === "light" || stored === "dark" ? stored : "system";
}

/** The theme shown for a choice, given whether the OS asks for dark. */
export function effectiveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === "system") return systemDark ? "dark" : "light";
  return choice;
}

/** The value of <html data-theme> for a choice: none for "system" (the OS query decides). */
export function themeAttribute(choice: ThemeChoice): Theme | null {
  return choice === "system" ? null : choice;
}

/** What the theme needs of the page; the browser's by default, stand-ins in tests. */
export type ThemeEnv = {
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
  media: Pick<MediaQueryList, "matches" | "addEventListener" | "removeEventListener"> | null;
  root: Pick<Element, "setAttribute" | "removeAttribute"> | null;
};

function browserEnv(): ThemeEnv {
  let storage: ThemeEnv["storage"] = null;
  try {
    // Reading localStorage throws where storage is disabled.
    storage = globalThis.localStorage ?? null;
  } catch {
    storage = null;
  }
  return {
    storage,
    media: typeof matchMedia === "function" ? matchMedia(DARK_QUERY) : null,
    root: typeof document === "undefined" ? null : document.documentElement,
  };
}

const state = $state<{ choice: ThemeChoice; systemDark: boolean }>({ choice: "system", systemDark: false });
const listeners = new Set<(theme: Theme) => void>();
let env: ThemeEnv = { storage: null, media: null, root: null };

/** The choice made in Settings (or "system"). */
export function themeChoice(): ThemeChoice {
  return state.choice;
}

/** The theme the window shows now. */
export function theme(): Theme {
  return effectiveTheme(state.choice, state.systemDark);
}

/** Calls `listener` with the new theme each time it changes, once its colours apply. */
export function onThemeChange(listener: (theme: Theme) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Sets <html data-theme>, then tells the listeners if the theme shown changed. */
function update(next: { choice?: ThemeChoice; systemDark?: boolean }): void {
  const before = theme();
  if (next.choice !== undefined) state.choice = next.choice;
  if (next.systemDark !== undefined) state.systemDark = next.systemDark;
  const attribute = themeAttribute(state.choice);
  if (attribute) env.root?.setAttribute("data-theme", attribute);
  else env.root?.removeAttribute("data-theme");
  const after = theme();
  if (after !== before) for (const listener of [...listeners]) listener(after);
}

function readStored(storage: ThemeEnv["storage"]): ThemeChoice {
  try {
    return parseThemeChoice(storage?.getItem(THEME_KEY));
  } catch {
    return "system";
  }
}

/**
 * Reads the stored choice, applies it and follows the OS from now on. Call once, before the
 * window mounts; returns a function that stops following the OS (for tests).
 */
export function startTheme(environment: ThemeEnv = browserEnv()): () => void {
  env = environment;
  const media = env.media;
  update({ choice: readStored(env.storage), systemDark: media?.matches ?? false });
  const follow = (e: { matches: boolean }) => update({ systemDark: e.matches });
  media?.addEventListener("change", follow);
  return () => media?.removeEventListener("change", follow);
}

/** Picks a theme (Settings): applied at once and remembered for this window. */
export function setThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === "system") env.storage?.removeItem(THEME_KEY);
    else env.storage?.setItem(THEME_KEY, choice);
  } catch {
    // Storage full or disabled: the choice still holds until the window closes.
  }
  update({ choice });
}
