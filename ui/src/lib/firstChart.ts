// Tells Lookout, once per page, that the window drew its first chart: the tray logs how long
// the window took from being asked for to that moment (the footprint benchmark reads it).

let report: (() => void) | null = null;

/** What to call on the first chart drawn (App registers the backend's report). */
export function onFirstChart(fn: () => void): void {
  report = fn;
}

/** A chart was drawn; only the first call reports. Charts call it from uPlot's draw hook. */
export function chartDrawn(): void {
  if (performance.getEntriesByName("lookout:first-chart").length === 0) performance.mark("lookout:first-chart");
  const fn = report;
  report = null;
  fn?.();
}
