// The window's speed and memory benchmarks, in headless Debian Chromium (playwright-core):
//
// 1. charts: bench/charts.html (built here with Vite) draws the history chart over generated
//    series, 24 h of 1 s readings and 30 days of rollups, 4 series each; the median of 7.
// 2. live: the built window (ui/dist, fake backend) on the overview with the page's clock
//    faked and run forward one hour: 3,600 ticks at 1 s. JS heap after a forced GC, before and
//    after, and the layouts done meanwhile (with no frames drawn, every layout is one a script
//    forced: none should happen per tick).
// 3. size: the built window's JS and CSS as the app loads them, gzipped (the fake backend's
//    chunk is only loaded in a plain browser, never by the app).
//
// Usage: npm run build && node bench/run.mjs      (or `make bench-ui`)
import { readFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";
import { chromium } from "playwright-core";

const UI = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-precise-memory-info", "--js-flags=--expose-gc"];
const KiB = 1024;
const MiB = 1024 * 1024;

async function serve(root, outDir) {
  const server = await preview({ root, logLevel: "silent", build: { outDir }, preview: { host: "127.0.0.1", port: 0, open: false } });
  const addr = server.httpServer.address();
  return { server, url: `http://127.0.0.1:${addr.port}/` };
}

async function charts(browser) {
  const out = mkdtempSync(join(tmpdir(), "lookout-bench-"));
  try {
    await build({
      root: UI,
      configFile: join(UI, "vite.config.ts"),
      logLevel: "silent",
      build: { outDir: out, emptyOutDir: true, rollupOptions: { input: join(UI, "bench/charts.html") } },
    });
    const { server, url } = await serve(UI, out);
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(`${url}bench/charts.html`);
    const result = await page.waitForFunction(() => window.benchResult, null, { timeout: 120_000 }).then((h) => h.jsonValue());
    await page.close();
    await server.close();
    if (result.error) throw new Error(result.error);
    return result.results;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function live(browser) {
  const { server, url } = await serve(UI, "dist");
  const context = await browser.newContext({ viewport: { width: 1200, height: 820 } });
  const page = await context.newPage();
  await page.clock.install();
  await page.goto(`${url}#/overview`);
  await page.clock.runFor(5_000);
  await page.getByTestId("live-cpu").waitFor();
  const cdp = await context.newCDPSession(page);
  const heap = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    return (await cdp.send("Runtime.getHeapUsage")).usedSize;
  };
  // Ten minutes first, so the charts' rings are full and the start is steady.
  await page.clock.runFor(600_000);
  const before = await heap();
  await browser.startTracing(page, { categories: ["devtools.timeline"] });
  // The value at each minute and 1 s after it: the ticks ran if they are not all the same.
  const seen = new Set();
  for (let minute = 0; minute < 60; minute++) {
    await page.clock.runFor(59_000);
    seen.add(await page.getByTestId("live-cpu").textContent());
    await page.clock.runFor(1_000);
    seen.add(await page.getByTestId("live-cpu").textContent());
  }
  const trace = JSON.parse((await browser.stopTracing()).toString("utf8"));
  const after = await heap();
  await context.close();
  await server.close();
  if (seen.size < 2) throw new Error("the live value never changed: the ticks did not run");
  return {
    ticks: 3600,
    heap_before_mib: before / MiB,
    heap_after_mib: after / MiB,
    heap_growth_mib: (after - before) / MiB,
    ...layouts(trace.traceEvents ?? trace),
  };
}

/**
 * Layouts on the page's main thread, and those a script forced: every Layout outside a frame's
 * own style-and-layout step (scripts run by the faked clock or by a timer read layout that was
 * invalidated: the browser had to lay out there and then).
 */
function layouts(events) {
  const main = events.find((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const all = events.filter((e) => e.ph === "X" && e.name === "Layout" && main && e.pid === main.pid && e.tid === main.tid);
  const open = new Map();
  const frames = [];
  for (const e of events) {
    if (e.name !== "AnimationFrame::StyleAndLayout" || !main || e.pid !== main.pid) continue;
    const key = `${e.id ?? e.id2?.local}`;
    if (e.ph === "b") open.set(key, e.ts);
    else if (e.ph === "e" && open.has(key)) {
      frames.push([open.get(key), e.ts]);
      open.delete(key);
    }
  }
  const forced = all.filter((l) => !frames.some(([from, to]) => l.ts >= from && l.ts <= to));
  return { layouts: all.length, frames: frames.length, forced_layouts: forced.length };
}

function size() {
  const html = readFileSync(join(UI, "dist/index.html"), "utf8");
  const assets = readdirSync(join(UI, "dist/assets"));
  // What index.html loads, plus the Tauri backend's chunk; not the fake backend's.
  const loaded = assets.filter((f) => html.includes(f) || f.startsWith("tauri-"));
  const files = loaded.map((f) => {
    const bytes = readFileSync(join(UI, "dist/assets", f));
    return { file: f, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { files, total_gzip_kib: files.reduce((s, f) => s + f.gzip, 0) / KiB };
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
try {
  const c = await charts(browser);
  console.log("charts (shape + mount + first draw, median of 7):");
  for (const r of c) console.log(`  ${r.name}: ${r.median_ms.toFixed(1)} ms   (runs: ${r.runs_ms.join(", ")})`);
  const l = await live(browser);
  console.log(`live: ${l.ticks} ticks at 1 s (one hour, faked clock) on the overview:`);
  console.log(`  JS heap ${l.heap_before_mib.toFixed(2)} MiB -> ${l.heap_after_mib.toFixed(2)} MiB (growth ${l.heap_growth_mib.toFixed(2)} MiB)`);
  console.log(`  layouts: ${l.layouts} in ${l.frames} frames drawn meanwhile; ${l.forced_layouts} forced by a script (${(l.forced_layouts / l.ticks).toFixed(3)} per tick)`);
  const s = size();
  console.log(`size: ${s.total_gzip_kib.toFixed(1)} KiB gzipped JS + CSS as the app loads it`);
  for (const f of s.files) console.log(`  ${f.file}: ${(f.bytes / KiB).toFixed(1)} KiB, ${(f.gzip / KiB).toFixed(1)} KiB gzipped`);
} finally {
  await browser.close();
}
