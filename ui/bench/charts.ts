// The chart benchmark's page: draws the window's history chart (HistoryPlot, fed by
// shapeHistory as the Overview does) over generated series and times it. Run by run.mjs in
// headless Chromium; results land in window.benchResult.
import { flushSync, mount, unmount } from "svelte";
import HistoryPlot from "../src/lib/components/HistoryPlot.svelte";
import { shapeHistory } from "../src/lib/historyChart";
import type { HistorySeries } from "../src/lib/bindings/HistorySeries";
import type { Tier } from "../src/lib/bindings/Tier";
import "../src/app.css";

type Case = { name: string; tier: Tier; stepMs: number; points: number; series: number };

const END = Date.UTC(2026, 11, 1);
const CASES: Case[] = [
  { name: "24 h of 1 s readings, 4 series", tier: "raw", stepMs: 1_000, points: 86_400, series: 4 },
  { name: "30 d of 1-minute rollups, 4 series", tier: "minute", stepMs: 60_000, points: 43_200, series: 4 },
  { name: "30 d of 15-minute rollups, 4 series", tier: "quarter_hour", stepMs: 900_000, points: 2_880, series: 4 },
  { name: "what the window asks for: 600 points, 4 series", tier: "minute", stepMs: 4_320_000, points: 600, series: 4 },
];

/** A wandering series with an hour-long gap in the middle, as a monitor restart leaves. */
function series(c: Case, k: number): HistorySeries {
  const from = END - c.points * c.stepMs;
  const pts: HistorySeries["points"] = new Array(c.points);
  let v = 30 + k * 10;
  const gapAt = Math.floor(c.points / 2);
  const gapLen = Math.max(1, Math.floor(3_600_000 / c.stepMs));
  for (let i = 0; i < c.points; i++) {
    v = Math.min(100, Math.max(0, v + Math.sin(i / 97 + k) * 1.5 + ((i * 7919 + k) % 13) / 13 - 0.5));
    const t = from + i * c.stepMs;
    if (i >= gapAt && i < gapAt + gapLen) pts[i] = { t, min: null, avg: null, max: null };
    else if (c.tier === "raw") pts[i] = { t, min: v, avg: v, max: v };
    else pts[i] = { t, min: Math.max(0, v - 4), avg: v, max: Math.min(100, v + 4) };
  }
  return { metric: `bench.m${k}`, from, to: END, tier: c.tier, step_ms: c.stepMs, points: pts };
}

/** Time from data in hand to the chart drawn: shaping, mounting, uPlot's first draw. */
async function once(c: Case, target: HTMLElement): Promise<number> {
  const data = Array.from({ length: c.series }, (_, k) => series(c, k));
  await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  const shaped = shapeHistory(data, data[0].from, END);
  const app = mount(HistoryPlot, {
    target,
    props: { shaped, lines: [{ rule: "r", metric: "bench.m0", value: 80, kind: "threshold", op: ">", severity: "warning" }], label: c.name, max: 100, onhover: () => {} },
  });
  flushSync();
  // uPlot commits its first draw in a microtask: a macrotask later it is on the canvas.
  await new Promise((r) => setTimeout(r, 0));
  const ms = performance.now() - t0;
  if (!target.querySelector("canvas")) throw new Error(`${c.name}: no canvas drawn`);
  unmount(app);
  return ms;
}

async function run() {
  const target = document.getElementById("chart")!;
  const results: { name: string; median_ms: number; runs_ms: number[] }[] = [];
  for (const c of CASES) {
    await once(c, target); // warm-up: JIT and fonts
    const runs: number[] = [];
    for (let i = 0; i < 7; i++) runs.push(await once(c, target));
    const sorted = [...runs].sort((a, b) => a - b);
    results.push({ name: c.name, median_ms: sorted[3], runs_ms: runs.map((r) => Math.round(r * 10) / 10) });
  }
  return results;
}

run().then(
  (results) => Object.assign(window, { benchResult: { results } }),
  (e: unknown) => Object.assign(window, { benchResult: { error: String(e) } }),
);
