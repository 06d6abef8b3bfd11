// Live state shared by the views: the latest tick, the status, and a bounded history ring per
// metric (history from get_recent, then every streamed tick).
import type { Backend, Unsubscribe } from "./backend";
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
  error = $state<string | null>(null);
  readonly series = new SeriesStore();
  private stops: Unsubscribe[] = [];

  constructor(private readonly backend: Backend) {}

  /** Metric keys seen in the latest tick, sorted. */
  get metricKeys(): string[] {
    return this.tick ? Object.keys(this.tick.values).sort() : [];
  }

  async start(): Promise<void> {
    try {
      this.series.ingestSeries(await this.backend.getRecent());
      const first = await this.backend.getSnapshot();
      if (first) this.onTick(first);
      this.stops.push(await this.backend.streamTicks((t) => this.onTick(t)));
      await this.refreshStatus();
      const timer = setInterval(() => void this.refreshStatus(), STATUS_EVERY_MS);
      this.stops.push(() => clearInterval(timer));
    } catch (e) {
      this.error = toApiError(e).message;
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

  async refreshStatus(): Promise<void> {
    try {
      this.status = await this.backend.getStatus();
      this.error = null;
    } catch (e) {
      this.error = toApiError(e).message;
    }
  }

  async pause(until: number | null): Promise<void> {
    try {
      this.status = await this.backend.pauseAlerts(until);
    } catch (e) {
      this.error = toApiError(e).message;
    }
  }
}
