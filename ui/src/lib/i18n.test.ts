// The window's side of the catalogs: both parse, hold the same messages with the same
// variables, every id the window names exists, every window message is used, English has no
// Korean in it, and t() follows the current language (the Rust catalog tests check the rest).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FluentResource } from "@fluent/bundle";
import { afterEach, describe, expect, test, vi } from "vitest";
import { language, setLanguage, t } from "./i18n.svelte";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const SRC = join(ROOT, "ui/src");
const HANGUL = /[\u3131-\uD79D]/;

afterEach(() => {
  setLanguage("en");
  vi.restoreAllMocks();
});

type Node = unknown;

/** Every variable a runtime pattern uses (selectors and variants included). */
function vars(node: Node, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => vars(n, out));
  else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (o.type === "var" && typeof o.name === "string") out.add(o.name);
    for (const v of Object.values(o)) if (typeof v === "object") vars(v, out);
  }
  return out;
}

/** Message id -> its variables, for one catalog; fails on a syntax error. */
function catalog(lang: string): Map<string, Set<string>> {
  const source = readFileSync(join(ROOT, `locales/${lang}.ftl`), "utf8");
  const resource = new FluentResource(source);
  const out = new Map<string, Set<string>>();
  for (const m of resource.body) {
    if (m.id.startsWith("-")) continue;
    expect(out.has(m.id), `${lang}.ftl defines '${m.id}' twice`).toBe(false);
    out.set(m.id, vars(m.value));
  }
  // FluentResource skips junk silently: every message line must have made it in.
  const defined = source.match(/^[a-z][a-z0-9-]*\s*=/gm) ?? [];
  expect(out.size, `${lang}.ftl has entries that did not parse`).toBe(defined.length);
  return out;
}

/** The text of every .ts and .svelte file of the window (not the generated bindings). */
function sources(dir = SRC): string {
  let text = "";
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) text += e.name === "bindings" ? "" : sources(path);
    else if (/\.(ts|svelte)$/.test(e.name) && !e.name.endsWith(".test.ts")) text += readFileSync(path, "utf8");
  }
  return text;
}

const en = catalog("en");
const ko = catalog("ko");
const code = sources();

describe("the catalogs, as the window reads them", () => {
  test("both hold the same messages with the same variables", () => {
    expect([...ko.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [id, v] of en) expect([...(ko.get(id) ?? [])].sort(), id).toEqual([...v].sort());
  });

  test("every message id the window names is in the catalogs", () => {
    const named = new Set([...code.matchAll(/"((?:ui|aggregate|op)-[a-z0-9-]+)"/g)].map((m) => m[1]));
    expect(named.size).toBeGreaterThan(100);
    const missing = [...named].filter((id) => !en.has(id));
    expect(missing, "named in ui/src but not in the catalogs").toEqual([]);
  });

  test("every window message is used, by its id written as a literal", () => {
    const unused = [...en.keys()].filter((id) => id.startsWith("ui-") && !code.includes(`"${id}"`));
    expect(unused, "in the catalogs but no window code names them").toEqual([]);
  });

  test("English window messages hold no Korean, except the name of the Korean language", () => {
    const source = readFileSync(join(ROOT, "locales/en.ftl"), "utf8");
    const window = source.slice(source.indexOf("\n## The window\n"));
    expect(window.length).toBeGreaterThan(1000);
    const korean = window
      .split("\n")
      .filter((line) => HANGUL.test(line) && !line.startsWith("ui-language-ko ="));
    expect(korean).toEqual([]);
  });
});

describe("t()", () => {
  test("follows the current language", () => {
    expect(language()).toBe("en");
    expect(t("ui-nav-overview")).toBe("Overview");
    setLanguage("ko");
    expect(language()).toBe("ko");
    expect(t("ui-nav-overview")).toBe("개요");
    setLanguage("C.UTF-8");
    expect(language(), "anything but Korean is English").toBe("en");
  });

  test("fills in variables and selects plurals, with no isolation marks", () => {
    expect(t("ui-rule-problems", { count: 1 })).toBe("1 problem");
    expect(t("ui-rule-problems", { count: 3 })).toBe("3 problems");
    expect(t("ui-not-answering", { reason: "x" })).toBe("Lookout is not answering: x");
    setLanguage("ko");
    expect(t("ui-rule-problems", { count: 3 })).toBe("문제 3개");
    expect(t("ui-alerts-empty", { range: "hour" })).toBe("최근 1시간 동안 알림이 없습니다.");
  });

  test("a missing message is loud and shows its id", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(t("ui-no-such-message")).toBe("ui-no-such-message");
    expect(error).toHaveBeenCalledWith(expect.stringContaining("ui-no-such-message"));
  });
});

describe("app watch labels", () => {
  test("name the watch and the figure in the window's language", async () => {
    const { metricLabel } = await import("./labels");
    const { setLanguage } = await import("./i18n.svelte");
    setLanguage("en");
    expect(metricLabel("app.postgres.running")).toBe("postgres: processes running");
    setLanguage("ko");
    expect(metricLabel("app.postgres.restarts")).toBe("postgres: 재시작");
    setLanguage("en");
    expect(metricLabel("app.postgres.bogus"), "an unknown figure stays a key").toBe("app.postgres.bogus");
  });
});
