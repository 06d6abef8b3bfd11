import { afterEach, describe, expect, test } from "vitest";
import {
  THEME_KEY, effectiveTheme, onThemeChange, parseThemeChoice, setThemeChoice, startTheme, theme, themeAttribute,
  themeChoice, type ThemeEnv,
} from "./theme.svelte";

/** A page stand-in: storage, the OS's dark query (flip() changes it) and <html>'s attributes. */
function page(stored: string | null, dark: boolean, opts: { brokenStorage?: boolean } = {}) {
  const items = new Map<string, string>(stored === null ? [] : [[THEME_KEY, stored]]);
  const attributes = new Map<string, string>();
  const handlers = new Set<(e: { matches: boolean }) => void>();
  const broken = () => {
    throw new Error("SecurityError: storage is disabled");
  };
  const media = {
    matches: dark,
    addEventListener: (_type: string, h: (e: { matches: boolean }) => void) => handlers.add(h),
    removeEventListener: (_type: string, h: (e: { matches: boolean }) => void) => handlers.delete(h),
  };
  const env = {
    storage: {
      getItem: opts.brokenStorage ? broken : (k: string) => items.get(k) ?? null,
      setItem: opts.brokenStorage ? broken : (k: string, v: string) => void items.set(k, v),
      removeItem: opts.brokenStorage ? broken : (k: string) => void items.delete(k),
    },
    media,
    root: {
      setAttribute: (k: string, v: string) => void attributes.set(k, v),
      removeAttribute: (k: string) => void attributes.delete(k),
    },
  } as unknown as ThemeEnv;
  return {
    env,
    items,
    attribute: () => attributes.get("data-theme") ?? null,
    flip: (matches: boolean) => {
      media.matches = matches;
      for (const h of handlers) h({ matches });
    },
    handlers,
  };
}

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  startTheme(page(null, false).env)();
});

describe("the choice and the theme shown", () => {
  test("system follows the OS; light and dark are fixed", () => {
    expect(effectiveTheme("system", false)).toBe("light");
    expect(effectiveTheme("system", true)).toBe("dark");
    expect(effectiveTheme("light", true)).toBe("light");
    expect(effectiveTheme("dark", false)).toBe("dark");
  });

  test("only a picked theme sets <html data-theme>; system leaves it to the OS query", () => {
    expect(themeAttribute("system")).toBeNull();
    expect(themeAttribute("light")).toBe("light");
    expect(themeAttribute("dark")).toBe("dark");
  });

  test("a stored value is read back; anything else is system", () => {
    expect(parseThemeChoice("light")).toBe("light");
    expect(parseThemeChoice("dark")).toBe("dark");
    expect(parseThemeChoice("system")).toBe("system");
    for (const bad of [null, undefined, "", "Dark", " dark", "blue", "{\"theme\":\"dark\"}", 1, {}])
      expect(parseThemeChoice(bad), String(bad)).toBe("system");
  });
});

describe("applying it to the window", () => {
  test("starts with the stored choice, before anything is shown", () => {
    const p = page("dark", false);
    stop = startTheme(p.env);
    expect(themeChoice()).toBe("dark");
    expect(theme()).toBe("dark");
    expect(p.attribute()).toBe("dark");
  });

  test("a garbled stored value, or storage that throws, follows the OS", () => {
    const garbled = page("sepia", true);
    stop = startTheme(garbled.env);
    expect([themeChoice(), theme(), garbled.attribute()]).toEqual(["system", "dark", null]);
    stop();
    const broken = page(null, true, { brokenStorage: true });
    stop = startTheme(broken.env);
    expect([themeChoice(), theme()]).toEqual(["system", "dark"]);
    setThemeChoice("light");
    expect([themeChoice(), theme(), broken.attribute()], "still applied when it cannot be kept").toEqual(["light", "light", "light"]);
  });

  test("a choice is applied and stored; system removes both", () => {
    const p = page(null, false);
    stop = startTheme(p.env);
    setThemeChoice("dark");
    expect([theme(), p.attribute(), p.items.get(THEME_KEY)]).toEqual(["dark", "dark", "dark"]);
    setThemeChoice("system");
    expect([theme(), p.attribute(), p.items.has(THEME_KEY)]).toEqual(["light", null, false]);
  });

  test("with system, an OS switch changes the theme and tells listeners once the attribute is set", () => {
    const p = page(null, false);
    stop = startTheme(p.env);
    const seen: [string, string | null][] = [];
    const unsubscribe = onThemeChange((t) => seen.push([t, p.attribute()]));
    p.flip(true);
    expect(theme()).toBe("dark");
    setThemeChoice("dark"); // shown the same: nobody needs to redraw
    setThemeChoice("light");
    p.flip(false); // a picked theme ignores the OS
    p.flip(true);
    unsubscribe();
    setThemeChoice("system");
    expect(seen).toEqual([
      ["dark", null],
      ["light", "light"],
    ]);
  });

  test("stopping stops following the OS", () => {
    const p = page(null, false);
    startTheme(p.env)();
    expect(p.handlers.size).toBe(0);
    p.flip(true);
    expect(theme()).toBe("light");
  });
});
