// Live state shared by the views: the latest tick, the status, and a bounded history ring per
// metric (history from get_recent, then every streamed tick).
import type { Backend, Unsubscribe } from "./backend";
import type { ApiError } from "./bindings/ApiError";
import type { RuleStatus } from "./bindings/RuleStatus";
import type { Status } from "./bindings/Status";
import type { TickView } from "./bindings/TickView";
import { toApiError } from "./fieldErrors";
import { SeriesStore } from "./ring";

const STATUS_EVERY_MS = 3000;

/** True when some rule changed phase between two ticks (the alert log then has news). */
export function phasesChanged(before: RuleStatus[] | undefined, after: RuleStatus[]): boolean {
  if (!before) return false;
  const old = new Map(before.map((r) => [r.name, r.phase.phase]));
  return after.some((r) => old.get(r.name) !== r.phase.phase);
}

export class LiveData {
  tick = $state.raw<TickView | null>(null);
  status = $state.raw<Status | null>(null);
  /** Bumped on every change to the series, so charts know to redraw. */
  version = $state(0);
  /** Bumped when a tick shows a rule changing phase. */
  alertsVersion = $state(0);
  /** Why the last call failed (shown in the window's language by its code). */
  error = $state.raw<ApiError | null>(null);
  readonly series = new SeriesStore();
  private stops: Unsubscribe[] = [];
  private statusSeq = 0;

  constructor(private readonly backend: Backend) {}

  /** Metric keys seen in the latest tick, sorted. */
  get metricKeys(): string[] {
    return this.tick ? Object.keys(this.tick.values).sort() : [];
  }

  async start(): Promise<void> {
    // The status first: it names the language the window speaks.
    const status = this.refreshStatus();
    try {
      this.series.ingestSeries(await this.backend.getRecent());
      performance.mark("lookout:recent");
      const first = await this.backend.getSnapshot();
      if (first) this.onTick(first);
      this.stops.push(await this.backend.streamTicks((t) => this.onTick(t)));
      await status;
      const timer = setInterval(() => void this.refreshStatus(), STATUS_EVERY_MS);
      this.stops.push(() => clearInterval(timer));
    } catch (e) {
      this.error = toApiError(e);
    }
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  onTick(tick: TickView): void {
    if (this.tick && tick.at <= this.tick.at) return;
    if (phasesChanged(this.tick?.rules, tick.rules)) {
      this.alertsVersion += 1;
      void this.refreshStatus();
    }
    this.series.ingestTick(tick);
    this.tick = tick;
    this.version += 1;
  }

  /** Asks for the status; only the answer to the latest request is kept. */
  async refreshStatus(): Promise<void> {
    const seq = ++this.statusSeq;
    try {
      const status = await this.backend.getStatus();
      if (performance.getEntriesByName("lookout:status").length === 0) performance.mark("lookout:status");
      if (seq !== this.statusSeq) return;
      this.status = status;
      this.error = null;
    } catch (e) {
      if (seq === this.statusSeq) this.error = toApiError(e);
    }
  }

  async pause(until: number | null): Promise<void> {
    const seq = ++this.statusSeq;
    try {
      const status = await this.backend.pauseAlerts(until);
      if (seq === this.statusSeq) this.status = status;
    } catch (e) {
      this.error = toApiError(e);
    }
  }
}
