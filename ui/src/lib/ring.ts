// Bounded per-metric history kept in the window: a ring of (time, value) pairs per metric,
// limited by count and by age, fed by get_recent and then by every tick.
import type { MetricSeries } from "./bindings/MetricSeries";
import type { TickView } from "./bindings/TickView";
import type { Timestamp } from "./bindings/Timestamp";

/** Ten minutes of history, at most one hour of 1 s samples. */
export const HISTORY_MS = 10 * 60 * 1000;
export const HISTORY_CAPACITY = 3600;

/** A fixed-size ring of samples, oldest first, with strictly increasing times. */
export class SeriesRing {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(
    readonly capacity: number = HISTORY_CAPACITY,
    readonly maxAgeMs: number = HISTORY_MS,
  ) {
    if (capacity < 1) throw new RangeError(`capacity '${capacity}' must be at least 1`);
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  private at(i: number): number {
    return (this.start + i) % this.capacity;
  }

  /** The newest sample, if any. */
  last(): { t: Timestamp; v: number } | null {
    if (this.count === 0) return null;
    const j = this.at(this.count - 1);
    return { t: this.times[j], v: this.values[j] };
  }

  /**
   * Adds a sample. Samples not newer than the last one are ignored (history and stream
   * overlap), non-finite values are absent readings; samples older than maxAgeMs before the
   * newest are dropped.
   */
  push(t: Timestamp, v: number): boolean {
    if (!Number.isFinite(t) || !Number.isFinite(v)) return false;
    const last = this.last();
    if (last && t <= last.t) return false;
    if (this.count === this.capacity) {
      this.start = (this.start + 1) % this.capacity;
      this.count -= 1;
    }
    const j = this.at(this.count);
    this.times[j] = t;
    this.values[j] = v;
    this.count += 1;
    this.dropOlderThan(t - this.maxAgeMs);
    return true;
  }

  /** Forgets samples at or before `cutoff`. */
  dropOlderThan(cutoff: Timestamp): void {
    while (this.count > 0 && this.times[this.start] <= cutoff) {
      this.start = (this.start + 1) % this.capacity;
      this.count -= 1;
    }
  }

  /** The values, oldest first, read as they are asked for (no copy; stop early at will). */
  *readings(): IterableIterator<number> {
    for (let i = 0; i < this.count; i++) yield this.values[this.at(i)];
  }

  /** Copies of the samples, oldest first. */
  toArrays(): { times: Timestamp[]; values: number[] } {
    const times: Timestamp[] = [];
    const values: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const j = this.at(i);
      times.push(this.times[j]);
      values.push(this.values[j]);
    }
    return { times, values };
  }

  /**
   * uPlot data: x in seconds, y with a null after every gap longer than `gapMs` so a pause in
   * sampling (suspend) is drawn as a break, never as a line across it.
   */
  toPlotData(gapMs: number): [number[], (number | null)[]] {
    const xs: number[] = [];
    const ys: (number | null)[] = [];
    let prev: number | null = null;
    for (let i = 0; i < this.count; i++) {
      const j = this.at(i);
      const t = this.times[j];
      if (prev !== null && t - prev > gapMs) {
        xs.push((prev + 1) / 1000);
        ys.push(null);
      }
      xs.push(t / 1000);
      ys.push(this.values[j]);
      prev = t;
    }
    return [xs, ys];
  }
}

/** One ring per metric key, created on first sight. */
export class SeriesStore {
  private readonly rings = new Map<string, SeriesRing>();

  constructor(
    private readonly capacity: number = HISTORY_CAPACITY,
    private readonly maxAgeMs: number = HISTORY_MS,
  ) {}

  get(metric: string): SeriesRing | undefined {
    return this.rings.get(metric);
  }

  keys(): string[] {
    return [...this.rings.keys()].sort();
  }

  push(metric: string, t: Timestamp, v: number): void {
    let ring = this.rings.get(metric);
    if (!ring) {
      ring = new SeriesRing(this.capacity, this.maxAgeMs);
      this.rings.set(metric, ring);
    }
    ring.push(t, v);
  }

  /** Loads history (oldest first per series); later ticks append after it. */
  ingestSeries(series: MetricSeries[]): void {
    for (const s of series) {
      const n = Math.min(s.times.length, s.values.length);
      for (let i = 0; i < n; i++) this.push(s.metric, s.times[i], s.values[i]);
    }
  }

  /** Appends one tick's readings and ages out every ring, including metrics now absent. */
  ingestTick(tick: TickView): void {
    for (const [metric, v] of Object.entries(tick.values)) this.push(metric, tick.at, v);
    const cutoff = tick.at - this.maxAgeMs;
    for (const ring of this.rings.values()) ring.dropOlderThan(cutoff);
  }
}
