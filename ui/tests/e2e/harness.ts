// Serves the built window (ui/dist) with `vite preview` on a free loopback port, under the
// strict CSP, and drives it in headless Debian Chromium through playwright-core.
import { createServer as createNetServer } from "node:net";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
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
  return {
    url,
    browser,
    problems,
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
}
