// Serves the built window (ui/dist) with `vite preview` on a free loopback port, under the
// strict CSP, and drives it in headless Debian Chromium through playwright-core.
import { createServer as createNetServer } from "node:net";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { createServer, preview, type PreviewServer } from "vite";

export const UI_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("no port from the OS"))));
    });
  });
}

export type PageOptions = {
  dark?: boolean;
  /** A viewport high enough to show a whole view in one screenshot. */
  tall?: boolean;
  /** A viewport of this size instead (1200×820, or 1200×1500 when tall). */
  size?: { width: number; height: number };
  /** The browser's locale (navigator.language), which the fake backend's `auto` follows. */
  locale?: string;
};

export type Harness = {
  url: string;
  browser: Browser;
  /** Console errors and warnings, page errors and CSP violations seen by any page. */
  problems: string[];
  newPage(opts?: PageOptions): Promise<Page>;
  /** A new page on one view of the window (`#/<view>`). */
  open(view: string, opts?: PageOptions): Promise<Page>;
  close(): Promise<void>;
};

/** `vite preview` of ui/dist on a free loopback port, with the CSP from vite.config.ts. */
export async function startPreview(): Promise<{ url: string; server: PreviewServer }> {
  if (!existsSync(`${UI_DIR}/dist/index.html`))
    throw new Error(`${UI_DIR}dist/index.html is missing; run 'npm run build' first (npm test does)`);
  const port = await freePort();
  const server = await preview({
    root: UI_DIR,
    logLevel: "silent",
    preview: { host: "127.0.0.1", port, strictPort: true, open: false },
  });
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** The Vite dev server (Svelte's dev-mode checks on), on a free loopback port. */
export async function startDev(): Promise<{ url: string; server: { close(): Promise<void> } }> {
  const port = await freePort();
  const server = await createServer({
    root: UI_DIR,
    logLevel: "silent",
    server: { host: "127.0.0.1", port, strictPort: true, open: false },
  });
  await server.listen();
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** Chromium on the built window (`vite preview`), or on the dev server with `dev: true`. */
export async function startHarness(opts: { dev?: boolean } = {}): Promise<Harness> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing; install Debian's 'chromium' (scripts/setup.sh test does)`);
  const { url, server } = opts.dev ? await startDev() : await startPreview();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const problems: string[] = [];
  const harness: Harness = {
    url,
    browser,
    problems,
    async open(view, opts = {}) {
      const page = await harness.newPage(opts);
      await page.goto(`${url}#/${view}`);
      return page;
    },
    async newPage(opts = {}) {
      const context = await browser.newContext({
        viewport: opts.size ?? { width: 1200, height: opts.tall ? 1500 : 820 },
        colorScheme: opts.dark ? "dark" : "light",
        locale: opts.locale ?? "en-US",
      });
      const page = await context.newPage();
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
  return harness;
}

/** Where the tests leave their screenshots. */
export const SHOTS = process.env.UI_SHOTS_DIR ?? "/tmp/ui-shots";

/**
 * A harness for one test file: started before its tests, closed after them. Until then every
 * use throws, naming what is missing.
 */
export function harnessForFile(opts: { dev?: boolean } = {}): Harness {
  let running: Harness | undefined;
  beforeAll(async () => {
    running = await startHarness(opts);
  }, 60_000);
  afterAll(async () => {
    await running?.close();
  });
  const get = (): Harness => {
    if (!running) throw new Error("the harness is used before this file's beforeAll started it");
    return running;
  };
  return {
    get url() {
      return get().url;
    },
    get browser() {
      return get().browser;
    },
    get problems() {
      return get().problems;
    },
    newPage: (o) => get().newPage(o),
    open: (view, o) => get().open(view, o),
    close: () => get().close(),
  };
}

/** The action the config file of fileWithActions gives the disk rule. */
export const DISK_RULE_ACTIONS = [
  { on: ["firing", "reminder"], run: ["/usr/local/bin/clean-build-cache", "--older-than", "7d"], timeout: "5m", max_runs: 3, within: "1h" },
];

/** The "gave up" entry fileWithActions can add to the alert log, a minute before now. */
export const GAVE_UP = { command: ["/usr/local/bin/clean-build-cache", "--older-than", "7d"], runs: 3, within: "1h" };

/**
 * Before the page loads: as if the config file gave the rule "Root disk almost full" the
 * actions DISK_RULE_ACTIONS (no recorded config has any), the fake's answers carry them, as
 * Lookout's would; every config the window sends is noted in `window.sentConfigs`. With
 * `gaveUp`, the alert log also holds Lookout giving up that action (none was recorded).
 */
export async function fileWithActions(page: Page, opts: { gaveUp?: boolean } = {}): Promise<void> {
  await page.addInitScript(([actions, gaveUp]) => {
    type Rule = { name: string; actions?: unknown };
    type Logged = { id: number; event: { at: number; since: number; state: string; severity: string; gave_up?: unknown }; actions: unknown[] };
    type Fake = {
      getConfig(): Promise<{ rules: Rule[] }>;
      setConfig(c: unknown): Promise<{ rules: Rule[] }>;
      getAlerts(since: number | null, limit: number): Promise<Logged[]>;
    };
    const sent: unknown[] = [];
    const withActions = <C extends { rules: Rule[] }>(c: C): C => {
      for (const r of c.rules) if (r.name === "Root disk almost full") r.actions = JSON.parse(JSON.stringify(actions));
      return c;
    };
    let fake: Fake | undefined;
    Object.defineProperty(window, "sentConfigs", { value: sent });
    // main.ts hands the fake over through window.lookoutFake before the window starts.
    Object.defineProperty(window, "lookoutFake", {
      configurable: true,
      get: () => fake,
      set: (f: Fake) => {
        const get = f.getConfig.bind(f);
        const set = f.setConfig.bind(f);
        f.getConfig = async () => withActions(await get());
        f.setConfig = async (c) => {
          sent.push(JSON.parse(JSON.stringify(c)));
          return withActions(await set(c));
        };
        const alerts = f.getAlerts.bind(f);
        if (gaveUp)
          f.getAlerts = async (since, limit) => {
            const log = await alerts(null, 1000);
            const disk = log.find((a) => a.event.state === "firing" && a.actions.length > 0);
            if (!disk) return alerts(since, limit);
            const at = Date.now() - 60_000;
            const entry = { id: 1000, event: { ...disk.event, state: "gave_up", severity: "critical", at, since: disk.event.since, gave_up: gaveUp }, actions: [] };
            return [entry, ...log].filter((a) => since === null || a.event.at >= since).slice(0, limit);
          };
        fake = f;
      },
    });
  }, [DISK_RULE_ACTIONS, opts.gaveUp ? GAVE_UP : null] as const);
}
