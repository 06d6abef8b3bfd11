import { expect, test } from "vitest";
import { guardLocale, usableLocale } from "./localeGuard";

test("an unusable navigator.language ('C' under LANG=C) is replaced before libraries read it", () => {
  expect(usableLocale("C"), "Intl rejects the POSIX locale name").toBe(false);
  expect(usableLocale("de-DE")).toBe(true);
  const nav = { language: "C", languages: ["C", "fr-FR"] } as unknown as Navigator;
  expect(guardLocale(nav)).toBe(true);
  expect(nav.language, "the first usable preference wins").toBe("fr-FR");
  expect(() => new Intl.NumberFormat(nav.language)).not.toThrow();
  const bare = { language: "C", languages: ["C"] } as unknown as Navigator;
  guardLocale(bare);
  expect(bare.language, "with nothing usable, en-US").toBe("en-US");
  const fine = { language: "sv-SE", languages: ["sv-SE"] } as unknown as Navigator;
  expect(guardLocale(fine), "a usable locale is left alone").toBe(false);
  expect(fine.language).toBe("sv-SE");
});
