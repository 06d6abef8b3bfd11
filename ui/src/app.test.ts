// app.css's colour tokens: the dark theme is written twice (picked in Settings, and the OS's
// dark with nothing picked) and both copies must agree; every colour of the light theme has a
// dark one; and text in each theme passes WCAG AA (4.5:1) on every background it sits on.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";

const CSS = readFileSync(new URL("./app.css", import.meta.url), "utf8");

type Tokens = Map<string, string>;

/** The custom properties of the first rule whose selector is exactly `selector`. */
function tokensOf(css: string, selector: string): Tokens {
  const at = css.indexOf(`${selector} {`);
  if (at < 0) throw new Error(`app.css has no rule '${selector}'`);
  const body = css.slice(at + selector.length + 2, css.indexOf("}", at));
  return new Map([...body.matchAll(/(--[a-z0-9-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

type Rgba = [number, number, number, number];

/** "#1c2026" or "rgba(36, 99, 214, 0.12)". */
function parseColor(text: string): Rgba {
  const hex = /^#([0-9a-f]{6})$/i.exec(text);
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16)).concat(1) as Rgba;
  const rgba = /^rgba\((\d+),\s*(\d+),\s*(\d+),\s*([\d.]+)\)$/.exec(text);
  if (rgba) return rgba.slice(1).map(Number) as Rgba;
  throw new Error(`not a colour: ${text}`);
}

/** `top` laid over the opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2 contrast ratio of two opaque colours. */
function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Every text colour on every background it is used on, with its ratio. */
function textPairs(t: Tokens): { pair: string; ratio: number }[] {
  const c = (name: string) => parseColor(t.get(name) ?? "");
  const grounds = ["--bg", "--surface", "--surface-2"];
  const out: { pair: string; ratio: number }[] = [];
  for (const ground of grounds) {
    const under = c(ground);
    for (const fg of ["--text", "--muted", "--accent", "--ok", "--warn", "--crit"])
      out.push({ pair: `${fg} on ${ground}`, ratio: contrast(c(fg), under) });
    // Chips, the current view's link and a selected row: a soft tint of the colour under it.
    for (const tone of ["--accent", "--ok", "--warn", "--crit"])
      out.push({ pair: `${tone} on ${tone}-soft over ${ground}`, ratio: contrast(c(tone), over(c(`${tone}-soft`), under)) });
  }
  // Rows and cards tinted as a whole (a selected rule or process, a stopped watch) hold all
  // kinds of text: on a card (--surface), or straight on the view (--bg) for a watch card.
  for (const [tint, ground] of [["--accent-soft", "--surface"], ["--crit-soft", "--surface"], ["--crit-soft", "--bg"]])
    for (const fg of ["--text", "--muted", "--accent"])
      out.push({ pair: `${fg} on ${tint} over ${ground}`, ratio: contrast(c(fg), over(c(tint), c(ground))) });
  out.push({ pair: "--accent-text on --accent", ratio: contrast(c("--accent-text"), c("--accent")) });
  return out;
}

const light = tokensOf(CSS, ":root");
const darkPicked = tokensOf(CSS, ':root[data-theme="dark"]');
const darkSystem = tokensOf(CSS, ":root:not([data-theme])");
const dark: Tokens = new Map([...light, ...darkPicked]);

describe("the themes' tokens", () => {
  test("the dark theme is the same whether picked or the OS's", () => {
    expect(darkPicked.size).toBeGreaterThan(15);
    expect([...darkSystem]).toEqual([...darkPicked]);
  });

  test("every colour of the light theme has its dark one", () => {
    const colours = [...light].filter(([, v]) => /^(#|rgba\()/.test(v)).map(([k]) => k);
    expect(colours).toContain("--muted");
    expect(colours.filter((k) => !darkPicked.has(k))).toEqual([]);
  });

  test("a picked theme sets the colour scheme of the browser's own controls", () => {
    expect(CSS).toMatch(/:root\[data-theme="light"\] \{\s*color-scheme: light;/);
    expect(CSS).toMatch(/:root\[data-theme="dark"\] \{\s*color-scheme: dark;/);
  });
});

describe("text contrast (WCAG AA, 4.5:1)", () => {
  test("the contrast arithmetic", () => {
    expect(contrast(parseColor("#000000"), parseColor("#ffffff"))).toBeCloseTo(21, 5);
    expect(contrast(parseColor("#777777"), parseColor("#ffffff"))).toBeCloseTo(4.48, 2);
    expect(over(parseColor("rgba(0, 0, 0, 0.5)"), parseColor("#ffffff"))).toEqual([127.5, 127.5, 127.5, 1]);
  });

  for (const [name, tokens] of [["light", light], ["dark", dark]] as const) {
    test(`${name}: every text colour on every background`, () => {
      const pairs = textPairs(tokens);
      expect(pairs.length, "3 backgrounds × 10 pairs, 3 tints × 3, and buttons").toBe(40);
      const failing = pairs.filter((p) => p.ratio < 4.5).map((p) => `${p.pair}: ${p.ratio.toFixed(2)}`);
      expect(failing).toEqual([]);
    });
  }
});
