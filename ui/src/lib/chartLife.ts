// The life of a uPlot chart in a component, the same for the live sparklines and the history
// charts: made on its node, resized with it, made again when the theme changes (its colours
// come from app.css's tokens, picked or the OS's), and destroyed with the component.
import type uPlot from "uplot";
import { onThemeChange } from "./theme.svelte";

/**
 * Makes a chart on `node` with `create` now and after every theme change, handing each one to
 * `set` (null once gone); `height` is read at each resize. Returns the teardown.
 */
export function keepChart<N extends HTMLElement>(
  node: N,
  create: (node: N) => uPlot,
  height: () => number,
  set: (plot: uPlot | null) => void,
): () => void {
  let plot = create(node);
  set(plot);
  const resize = new ResizeObserver(() => {
    const w = node.clientWidth;
    if (w > 0 && w !== plot.width) plot.setSize({ width: w, height: height() });
  });
  resize.observe(node);
  const stopTheme = onThemeChange(() => {
    plot.destroy();
    plot = create(node);
    set(plot);
  });
  return () => {
    stopTheme();
    resize.disconnect();
    plot.destroy();
    set(null);
  };
}
