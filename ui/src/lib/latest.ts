// Debounced, one-at-a-time, latest-wins requests, for a preview that follows an input the user
// keeps editing (the rule editor's backtest): a request waits until the input has been still
// for a while, never starts while another is in flight, and an answer is delivered only if no
// newer input came since its request was made. Plain TypeScript: no Svelte, no backend.

/** How a request ended: its value, or what it rejected with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export type LatestOptions<I, O> = {
  /** How long the input must stay unchanged before it is asked about. */
  delayMs: number;
  /** Asks about one input. */
  run: (input: I) => Promise<O>;
  /** The answer for the newest input (never one a newer input has made stale). */
  onSettled: (input: I, outcome: Outcome<O>) => void;
  /** Whether an answer for the newest input is still to come (for an "updating" hint). */
  onBusy?: (busy: boolean) => void;
};

export class Latest<I, O> {
  /** Bumped by every new input and by cancel(): an answer of an older one is stale. */
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** An input whose delay has passed, waiting for the request in flight to end. */
  private queued: { input: I; generation: number } | null = null;
  /** The generation of the request in flight, or null when none is. */
  private flying: number | null = null;
  private reportedBusy = false;
  private closed = false;

  constructor(private readonly options: LatestOptions<I, O>) {}

  /** Whether an answer for the newest input is still to come. */
  get busy(): boolean {
    return this.timer !== null || this.queued !== null || this.flying === this.generation;
  }

  /** Whether a request is in flight (at most one ever is). */
  get inFlight(): boolean {
    return this.flying !== null;
  }

  /**
   * Asks about `input` once it has been the newest for `delayMs` (the options' delay unless
   * given: 0 asks as soon as no other request is in flight). Any earlier input is dropped.
   */
  request(input: I, delayMs: number = this.options.delayMs): void {
    if (this.closed) return;
    const generation = ++this.generation;
    this.stopTimer();
    this.queued = null;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.queued = { input, generation };
      this.pump();
    }, Math.max(0, delayMs));
    this.reportBusy();
  }

  /** Drops the waiting input and the answer of the request in flight, if any. */
  cancel(): void {
    this.generation += 1;
    this.stopTimer();
    this.queued = null;
    this.reportBusy();
  }

  /** Cancels and ignores every later call: for when the preview goes away. */
  dispose(): void {
    this.cancel();
    this.closed = true;
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (this.flying !== null || this.queued === null || this.closed) return;
    const { input, generation } = this.queued;
    this.queued = null;
    this.flying = generation;
    const settle = (outcome: Outcome<O>) => {
      this.flying = null;
      if (generation === this.generation && !this.closed) this.options.onSettled(input, outcome);
      this.pump();
      this.reportBusy();
    };
    let answer: Promise<O>;
    try {
      answer = this.options.run(input);
    } catch (error) {
      answer = Promise.reject(error);
    }
    answer.then(
      (value) => settle({ ok: true, value }),
      (error: unknown) => settle({ ok: false, error }),
    );
  }

  private reportBusy(): void {
    const busy = this.busy && !this.closed;
    if (busy === this.reportedBusy) return;
    this.reportedBusy = busy;
    this.options.onBusy?.(busy);
  }
}
