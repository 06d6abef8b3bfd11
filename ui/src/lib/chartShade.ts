// Shaded spans of time under a uPlot chart's data, such as when a rule was firing: where they
// fall in pixels (pure, tested) and the drawClear hook that paints them in their severity's
// soft tint (--warn-soft, --crit-soft). Shared by the history charts and the live sparklines.
import type uPlot from "uplot";
import type { Severity } from "./bindings/Severity";
import type { Timestamp } from "./bindings/Timestamp";

/** A span of time (ms) to shade; `to` null runs to the right edge (still going). */
export type ShadeSpan = { from: Timestamp; to: Timestamp | null; severity: Severity };

/** A span in pixels: its left edge and width, on a canvas. */
export type ShadeRect = { x: number; width: number; severity: Severity };

/**
 * The rects of `spans` on a plot area `left`..`left + width` px, where `toPx` turns a time (ms)
 * into px: clipped to the area, spans wholly outside dropped, at least 1 px wide so a short
 * period still shows. Warnings first, so a critical period is painted over a warning one.
 */
export function shadeRects(spans: readonly ShadeSpan[], toPx: (ms: number) => number, left: number, width: number): ShadeRect[] {
  const right = left + width;
  const out: ShadeRect[] = [];
  for (const s of spans) {
    const a = toPx(s.from);
    const b = s.to === null ? right : toPx(s.to);
    if (!Number.isFinite(a) || !Number.isFinite(b) || b < a || b <= left || a >= right) continue;
    const x0 = Math.max(left, a);
    const x1 = Math.min(right, b);
    out.push({ x: x0, width: Math.max(1, x1 - x0), severity: s.severity });
  }
  return out.sort((p, q) => Number(p.severity === "critical") - Number(q.severity === "critical"));
}

/** Whether two lists of spans would shade the same (so a chart need not redraw). */
export function sameShade(a: readonly ShadeSpan[], b: readonly ShadeSpan[]): boolean {
  return a.length === b.length && a.every((s, i) => s.from === b[i].from && s.to === b[i].to && s.severity === b[i].severity);
}

/** The soft tint of each severity, read from the chart's CSS (so a theme change recolours it). */
export function shadeColors(css: CSSStyleDeclaration): Record<Severity, string> {
  return { warning: css.getPropertyValue("--warn-soft").trim(), critical: css.getPropertyValue("--crit-soft").trim() };
}

/**
 * A uPlot drawClear hook shading what `spans()` returns at each draw (x in seconds, as every
 * chart of the window), under the grid and the data.
 */
export function shadeHook(spans: () => readonly ShadeSpan[], colors: Record<Severity, string>): (u: uPlot) => void {
  return (u) => {
    const list = spans();
    if (list.length === 0) return;
    const { left, top, width, height } = u.bbox;
    const rects = shadeRects(list, (ms) => u.valToPos(ms / 1000, "x", true), left, width);
    const ctx = u.ctx;
    ctx.save();
    for (const r of rects) {
      ctx.fillStyle = colors[r.severity] ?? colors.critical;
      ctx.fillRect(r.x, top, r.width, height);
    }
    ctx.restore();
  };
}
