// The window in English and Korean, in headless Chromium against the fake backend: every view
// at 800×600 in each language renders without a console error, no text overflows its box,
// English shows no Hangul and Korean shows Korean (and no English window text), the alert
// log's filters show only matching entries with their count in both languages, and the
// language select switches the window at once and saves the language alone.
// The fake's `auto` follows the browser's locale, standing in for Lookout's LANG.
import { mkdirSync, readFileSync } from "node:fs";
import { FluentBundle, FluentResource } from "@fluent/bundle";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { fileWithActions, type Harness, SHOTS, startHarness, UI_DIR } from "./harness";

const T = 30_000;
const SMALL = { width: 800, height: 600 };
const HANGUL = /[\u3131-\uD79D]/;
const VIEWS = ["overview", "alerts", "deliveries", "rules", "notifications", "settings"] as const;
const LANGS = { en: "en-US", ko: "ko-KR" } as const;
type Lang = keyof typeof LANGS;

/** Korean words each view must show (nav labels included). */
const KOREAN: Record<(typeof VIEWS)[number], string[]> = {
  overview: ["개요", "알림 설정", "메모리", "규칙", "상태", "알림 일시 중지", "배터리", "충전 중 아님", "디스크 입출력", "프로브"],
  alerts: ["알림", "시각", "규칙", "심각도", "최근 1시간"],
  deliveries: ["전송 기록", "전송 대기 중", "지금 보내기", "보내는 중", "전송 시도", "전달됨", "보낼 편지함"],
  rules: ["규칙 추가", "감시 대상", "임계값", "조건이 맞을 때만", "저장", "되돌리기"],
  notifications: ["데스크톱 알림 표시", "이메일", "저장"],
  settings: ["설정", "언어 및 테마", "테마", "시스템 설정에 따름", "샘플링 간격", "1분 요약 (일)", "현재 디스크 사용량", "방해 금지 시간", "Prometheus 및 웹 접근", "저장"],
};

/**
 * Window texts of the English catalog with no variables and at least two words: none of
 * them may show in the Korean window (each has a Korean text of its own).
 */
function englishPhrases(): string[] {
  const load = (lang: Lang) => {
    const b = new FluentBundle(lang, { useIsolating: false });
    b.addResource(new FluentResource(readFileSync(`${UI_DIR}../locales/${lang}.ftl`, "utf8")));
    return b;
  };
  const [en, ko] = [load("en"), load("ko")];
  const source = readFileSync(`${UI_DIR}../locales/en.ftl`, "utf8");
  const ids = [...source.matchAll(/^(ui-[a-z0-9-]+) =/gm)].map((m) => m[1]);
  const out: string[] = [];
  for (const id of ids) {
    const errors: Error[] = [];
    const text = en.formatPattern(en.getMessage(id)!.value!, null, errors);
    const korean = ko.formatPattern(ko.getMessage(id)!.value!, null, []);
    if (errors.length === 0 && text !== korean && /[A-Za-z]+ [A-Za-z]+/.test(text)) out.push(text);
  }
  return out;
}

/** In the page: the text a person can see or hear, except texts marked as in another language. */
function visibleText(): string {
  const own = document.documentElement.lang;
  const foreign = (el: Element | null) => el?.closest(`[lang]:not([lang="${own}"])`) != null;
  const parts: string[] = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode())
    if (!foreign(n.parentElement) && !n.parentElement?.closest("script, style")) parts.push(n.textContent ?? "");
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder]"))
    if (!foreign(el)) for (const a of ["aria-label", "title", "placeholder"]) parts.push(el.getAttribute(a) ?? "");
  return parts.join("\n");
}

/**
 * In the page: everything that does not fit. An element's content is wider than it is (so it
 * sticks out, or the view scrolls sideways), a box that hides overflow hides some, or text runs
 * out of its own box, or a label that must be one line (buttons, headings) wraps. Text cut
 * short with "…" on purpose (long rule names) is allowed; views scroll up and down.
 */
function overflowing(): string[] {
  const bad: string[] = [];
  const name = (el: Element) =>
    `<${el.tagName.toLowerCase()}${el.getAttribute("data-testid") ? ` ${el.getAttribute("data-testid")}` : ""}> "${(el.textContent ?? "").trim().slice(0, 50)}"`;
  const ellipsis = (el: Element | null): boolean =>
    el !== null && (getComputedStyle(el).textOverflow === "ellipsis" || ellipsis(el.parentElement));
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("select, textarea, svg, .visually-hidden")) continue;
    if (el.getClientRects().length === 0 || ellipsis(el)) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== "visible") continue;
    if (style.display !== "inline") {
      if (el.scrollWidth > el.clientWidth + 1) bad.push(`${name(el)}: content ${el.scrollWidth} px wide in ${el.clientWidth} px`);
      if (["hidden", "clip"].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1)
        bad.push(`${name(el)}: content ${el.scrollHeight} px high in ${el.clientHeight} px, hidden`);
    }
    const texts = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim() !== "");
    if (texts.length === 0) continue;
    const box = el.getBoundingClientRect();
    const range = document.createRange();
    for (const n of texts) {
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (r.width === 0) continue;
        if (r.left < box.left - 1 || r.right > box.right + 1)
          bad.push(`${name(el)}: text spans x ${Math.round(r.left)}–${Math.round(r.right)}, its box ${Math.round(box.left)}–${Math.round(box.right)}`);
        if (r.top < box.top - 2 || r.bottom > box.bottom + 2)
          bad.push(`${name(el)}: text spans y ${Math.round(r.top)}–${Math.round(r.bottom)}, its box ${Math.round(box.top)}–${Math.round(box.bottom)}`);
      }
    }
  }
  // Labels that must stay on one line: a button or a heading broken in two reads badly.
  for (const el of document.querySelectorAll("button, .chip, nav a, th, .seg label, label[for], legend, h1, h3")) {
    for (const n of el.childNodes) {
      if (n.nodeType !== Node.TEXT_NODE || (n.textContent ?? "").trim() === "") continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
      if (lines.size > 1) bad.push(`${name(el)}: wraps onto ${lines.size} lines`);
    }
  }
  for (const sel of ["body", "nav", "main"]) {
    const el = document.querySelector(sel);
    if (el && el.scrollWidth > el.clientWidth + 1) bad.push(`${sel} scrolls sideways: ${el.scrollWidth} px in ${el.clientWidth} px`);
  }
  return bad;
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  mkdirSync(SHOTS, { recursive: true });
}, T);

afterAll(async () => {
  await h?.close();
});

/** A view at 800×600 in a browser whose locale makes the fake's `auto` resolve to `lang`. */
async function open(view: string, lang: Lang): Promise<Page> {
  const page = await h.open(view, { size: SMALL, locale: LANGS[lang] });
  await page.locator("main h1").waitFor();
  if (view === "overview") await page.getByTestId("live-cpu").waitFor();
  if (view === "alerts") await page.getByTestId("alert-row").first().waitFor();
  if (view === "deliveries") await page.getByTestId("attempt-row").first().waitFor();
  if (view === "rules") await page.getByTestId("rule-form").waitFor();
  if (view === "notifications") await page.getByTestId("desktop-enabled").waitFor();
  if (view === "settings") await page.getByTestId("storage-usage-bytes").waitFor();
  return page;
}

describe("every view in English and Korean", () => {
  const english = englishPhrases();

  for (const lang of ["en", "ko"] as const) {
    for (const view of VIEWS) {
      test(`${view} in ${lang}: fits at 800×600, speaks ${lang}, logs nothing`, async () => {
        const before = h.problems.length;
        const page = await open(view, lang);
        expect(await page.evaluate(() => document.documentElement.lang), "<html lang>").toBe(lang);
        const text = await page.evaluate(visibleText);
        if (lang === "en") {
          expect(text.match(new RegExp(`.*${HANGUL.source}.*`, "g")) ?? [], "no Hangul in English").toEqual([]);
        } else {
          for (const word of KOREAN[view]) expect(text, `the Korean ${view} says ${word}`).toContain(word);
          expect(english.length, "English phrases to look for").toBeGreaterThan(50);
          expect(english.filter((phrase) => text.includes(phrase)), "English window text left in Korean").toEqual([]);
        }
        expect(await page.evaluate(overflowing), "text that does not fit").toEqual([]);
        await page.screenshot({ path: `${SHOTS}/i18n-${lang}-${view}.png` });
        expect(h.problems.slice(before), "console errors, page errors").toEqual([]);
        await page.close();
      }, T);
    }
  }

  /** The words of the alert log's filters in each language. */
  const FILTER_WORDS = {
    en: {
      states: ["All states", "Pending", "Firing", "Reminder", "Resolved", "Gave up"],
      resolved: "Resolved",
      count: (shown: number, total: number) => `${shown} of ${total} entries`,
      none: "No entries match these filters.",
      reset: "Clear filters",
    },
    ko: {
      states: ["모든 상태", "대기", "발생", "다시 알림", "해제", "조치 포기"],
      resolved: "해제",
      count: (shown: number, total: number) => `전체 ${total}개 중 ${shown}개`,
      none: "이 필터에 맞는 항목이 없습니다.",
      reset: "필터 초기화",
    },
  } as const;

  for (const lang of ["en", "ko"] as const) {
    test(`the alert log's filters in ${lang}: only matching rows, the count, fit at 800×600`, async () => {
      const before = h.problems.length;
      const words = FILTER_WORDS[lang];
      const page = await open("alerts", lang);
      const rows = page.getByTestId("alert-row");
      const total = await rows.count();
      const states = await rows.locator(".chip").allTextContents();
      const resolved = states.filter((s) => s === words.resolved).length;
      expect(resolved, "the last 24 hours hold a resolved entry and others").toBeGreaterThan(0);
      expect(resolved).toBeLessThan(total);
      expect(await page.getByTestId("filter-state").locator("option").allTextContents()).toEqual(words.states);

      await page.getByTestId("filter-state").selectOption("resolved");
      await expect.poll(() => rows.count()).toBe(resolved);
      expect(await rows.locator(".chip").allTextContents(), "only resolved entries").toEqual(Array(resolved).fill(words.resolved));
      expect(await page.getByTestId("filter-count").textContent()).toBe(words.count(resolved, total));
      const speaks = async () => {
        const text = await page.evaluate(visibleText);
        if (lang === "en") expect(text.match(new RegExp(`.*${HANGUL.source}.*`, "g")) ?? [], "no Hangul in English").toEqual([]);
        else expect(english.filter((phrase) => text.includes(phrase)), "English window text left in Korean").toEqual([]);
        expect(await page.evaluate(overflowing), "text that does not fit").toEqual([]);
      };
      await speaks();
      await page.screenshot({ path: `${SHOTS}/i18n-${lang}-alerts-filtered.png` });

      // A severity none of the resolved entries has: nothing matches.
      const severities = await rows.locator(".sev").evaluateAll((els) => els.map((el) => (el.classList.contains("critical") ? "critical" : "warning")));
      const other = (["warning", "critical"] as const).find((s) => !severities.includes(s));
      expect(other, "a severity no resolved entry has").toBeDefined();
      await page.getByTestId("filter-severity").selectOption(other!);
      const none = page.getByTestId("filter-none");
      await none.waitFor();
      expect(await rows.count()).toBe(0);
      expect(await none.textContent()).toContain(words.none);
      expect(await page.getByTestId("filter-none-reset").textContent()).toBe(words.reset);
      expect(await page.getByTestId("filter-count").textContent()).toBe(words.count(0, total));
      await speaks();
      await page.screenshot({ path: `${SHOTS}/i18n-${lang}-alerts-filtered-none.png` });
      await page.getByTestId("filter-none-reset").click();
      await expect.poll(() => rows.count()).toBe(total);
      expect(h.problems.slice(before), "console errors, page errors").toEqual([]);
      await page.close();
    }, T);
  }

  test("the overflow check finds a label too long for its place", async () => {
    const page = await open("overview", "ko");
    expect(await page.evaluate(overflowing)).toEqual([]);
    await page.evaluate(() => {
      document.querySelector('[data-testid="nav-overall"]')!.textContent = "전송실패".repeat(12);
      document.querySelector('[data-testid="live-cpu"]')!.textContent = "사용률".repeat(30);
      const link = document.querySelector<HTMLElement>('[data-testid="nav-alerts"]')!;
      link.style.whiteSpace = "nowrap";
      link.textContent = "알림 기록 ".repeat(10);
    });
    const found = (await page.evaluate(overflowing)).join("\n");
    expect(found, "the chip sticks out of the sidebar").toContain("nav scrolls sideways");
    expect(found, "the reading pushes the view sideways").toContain("main scrolls sideways");
    expect(found, "the link's text runs out of its box").toMatch(/<a nav-alerts> .*text spans x/);
    await page.close();
  }, T);
});

describe("watched apps, culprits and actions in Korean", () => {
  const english = englishPhrases();
  const speaksKorean = async (page: Page, words: string[]) => {
    const text = await page.evaluate(visibleText);
    for (const word of words) expect(text, `says ${word}`).toContain(word);
    expect(english.filter((phrase) => text.includes(phrase)), "English window text left in Korean").toEqual([]);
    expect(await page.evaluate(overflowing), "text that does not fit").toEqual([]);
  };

  test("the add-a-watch dialog and a watch's card fit at 800×600 and speak Korean", async () => {
    const before = h.problems.length;
    const page = await open("overview", "ko");
    await speaksKorean(page, ["감시 중인 앱", "감시 추가"]);
    await page.getByTestId("add-watch").click();
    await page.getByTestId("process-group").first().waitFor();
    await speaksKorean(page, ["실행 중인 프로세스", "직접 입력", "검색", "찾는 기준", "자식 프로세스도 포함", "감시 저장", "프로세스 3개"]);
    await page.getByTestId("watch-search").fill("postgres");
    await page.getByTestId("process-group").first().click();
    expect(await page.getByTestId("watch-criterion").inputValue(), "postgres's executable is unreadable: by name").toBe("process");
    await page.getByTestId("watch-source-pattern").check();
    await page.getByTestId("watch-name").fill("웹 서버");
    await page.getByTestId("error-apps-0-name").waitFor();
    await speaksKorean(page, ["감시 이름으로 쓸 수 없습니다", "프로세스 이름"]);
    await page.screenshot({ path: `${SHOTS}/i18n-ko-add-watch.png` });
    await page.getByTestId("watch-name").fill("postgres");
    await page.getByTestId("watch-save").click();
    const card = page.getByTestId("watch-card");
    await expect.poll(() => card.getByTestId("watch-running").textContent(), { timeout: 10_000 }).toBe("4개 실행 중");
    await speaksKorean(page, ["프로세스 postgres", "메모리", "재시작"]);
    expect(h.problems.slice(before), "console errors, page errors").toEqual([]);
    await page.close();
  }, T);

  test("culprits, action runs and a rule's actions speak Korean and fit", async () => {
    const before = h.problems.length;
    const alerts = await open("alerts", "ko");
    await alerts.getByTestId("culprit-row").first().waitFor();
    await alerts.getByTestId("action-run").first().locator("summary").click();
    await speaksKorean(alerts, ["원인 프로세스", "사용자", "명령", "실행한 조치", "발생 시 실행", "종료 코드 0", "2.4초 걸림", "출력"]);
    await alerts.close();
    const page = await h.newPage({ size: SMALL, locale: LANGS.ko });
    await fileWithActions(page);
    await page.goto(`${h.url}#/rules`);
    await page.getByTestId("rule-row").nth(3).click();
    await page.getByTestId("rule-action").waitFor();
    await page.getByTestId("rule-name").fill("디스크");
    await speaksKorean(page, ["조치", "발생 및 다시 알림 시 실행", "5분 지나면 중지", "1시간 동안 최대 3번", "설정 파일에서 정합니다", "조치가 없어집니다"]);
    await page.screenshot({ path: `${SHOTS}/i18n-ko-rule-actions.png` });
    expect(h.problems.slice(before), "console errors, page errors").toEqual([]);
    await page.close();
  }, T);
});

describe("the language select", () => {
  test("switches the window at once and saves only the language", async () => {
    const before = h.problems.length;
    const page = await open("settings", "en");
    const nav = page.getByTestId("nav-overview");
    expect(await nav.textContent()).toBe("Overview");
    await page.getByTestId("quiet-mute-critical").check();
    await page.getByTestId("unsaved").waitFor();
    const saved = () => page.evaluate(() =>
      (window as unknown as { lookoutFake: { getConfig(): Promise<{ language?: string; quiet_hours: { mute_critical: boolean } }> } })
        .lookoutFake.getConfig(),
    );

    await page.evaluate(() => {
      const link = document.querySelector('[data-testid="nav-overview"]')!;
      const seen: string[] = [];
      (window as unknown as { navTexts: string[] }).navTexts = seen;
      new MutationObserver(() => seen.push(link.textContent ?? "")).observe(link, {
        childList: true, characterData: true, subtree: true,
      });
    });
    await page.getByTestId("language-select").selectOption("ko");
    await expect.poll(() => nav.textContent(), { timeout: 5000 }).toBe("개요");
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("ko");
    expect(await page.locator("main h1").textContent()).toBe("설정");
    expect((await saved()).language, "the fake stored the language").toBe("ko");
    expect((await saved()).quiet_hours.mute_critical, "and not the unsaved edit").toBe(false);
    expect(await page.getByTestId("quiet-mute-critical").isChecked(), "the edit is still in the form").toBe(true);
    expect(await page.getByTestId("unsaved").textContent(), "still unsaved, now in Korean").toBe("저장하지 않은 변경 사항이 있습니다");
    // The status, asked every 3 s, names the saved language too: the window stays Korean.
    await page.waitForTimeout(3500);
    expect(await nav.textContent()).toBe("개요");
    expect(await page.evaluate(() => (window as unknown as { navTexts: string[] }).navTexts), "no flash of English").toEqual(["개요"]);

    await page.getByTestId("language-select").selectOption("auto");
    await expect.poll(() => nav.textContent(), { timeout: 5000 }).toBe("Overview");
    expect((await saved()).language, "auto is no language in the config").toBeUndefined();

    await page.getByTestId("language-select").selectOption("en");
    await expect.poll(async () => (await saved()).language, { timeout: 5000 }).toBe("en");
    expect(await nav.textContent()).toBe("Overview");
    expect(await page.getByTestId("quiet-mute-critical").isChecked(), "the edit survived every switch").toBe(true);
    await page.screenshot({ path: `${SHOTS}/i18n-switched.png` });
    expect(h.problems.slice(before)).toEqual([]);
    await page.close();
  }, T);

  test("a Korean desktop sees Korean from the first word, never English first", async () => {
    const page = await h.newPage({ size: SMALL, locale: "ko-KR" });
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { firstNav: string[] }).firstNav = seen;
      new MutationObserver(() => {
        const nav = document.querySelector('[data-testid="nav-overview"]');
        if (nav && seen.length === 0) seen.push(nav.textContent ?? "");
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });
    await page.goto(`${h.url}#/overview`);
    await page.getByTestId("live-cpu").waitFor();
    expect(await page.evaluate(() => (window as unknown as { firstNav: string[] }).firstNav)).toEqual(["개요"]);
    await page.close();
  }, T);
});
