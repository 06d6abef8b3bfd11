// The catalogs as the window carries them: comments and the other front ends' messages out,
// every message the window can show kept whole (multi-line ones and terms included).
import { readFileSync } from "node:fs";
import { FluentBundle, FluentResource } from "@fluent/bundle";
import { describe, expect, it } from "vitest";
import { windowCatalog } from "../../vite.config";

const sample = [
  "# a comment",
  "## a group comment",
  "-brand = Lookout",
  "cli-run = Run { -brand } headless.",
  "    It keeps going.",
  "",
  "ui-title = { -brand }",
  "ui-long =",
  "    first line",
  "",
  "    after a blank line",
  "http-unauthorized = no token",
  "tray-open = Open",
  "field-x = bad { $value }",
  "    .hint = a hint",
].join("\n");

describe("windowCatalog", () => {
  const out = windowCatalog(sample);

  it("drops comments and the messages only other front ends show", () => {
    expect(out).not.toContain("#");
    for (const id of ["cli-run", "It keeps going", "http-unauthorized", "tray-open"]) expect(out).not.toContain(id);
  });

  it("keeps terms and the window's messages whole", () => {
    const bundle = new FluentBundle("en", { useIsolating: false });
    expect(bundle.addResource(new FluentResource(out))).toEqual([]);
    const text = (id: string, args?: Record<string, string>) => {
      const m = bundle.getMessage(id);
      return m?.value ? bundle.formatPattern(m.value, args) : undefined;
    };
    expect(text("ui-title")).toBe("Lookout");
    expect(text("ui-long")).toBe("first line\n\nafter a blank line");
    expect(text("field-x", { value: "7" })).toBe("bad 7");
    expect(bundle.getMessage("field-x")?.attributes.hint).toBeTruthy();
  });

  it("keeps every message of the real catalogs the window uses, in both languages alike", () => {
    const ids = (text: string) => [...text.matchAll(/^([a-z][a-z0-9-]*) =/gm)].map((m) => m[1]).sort();
    const en = readFileSync(new URL("../../../locales/en.ftl", import.meta.url), "utf8");
    const ko = readFileSync(new URL("../../../locales/ko.ftl", import.meta.url), "utf8");
    expect(ids(windowCatalog(en))).toEqual(ids(windowCatalog(ko)));
    expect(ids(windowCatalog(en)).filter((id) => id.startsWith("ui-"))).toEqual(ids(en).filter((id) => id.startsWith("ui-")));
    expect(windowCatalog(en).length).toBeLessThan(en.length * 0.8);
  });
});
