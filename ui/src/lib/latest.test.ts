import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { Latest, type Outcome } from "./latest";

/** A request the test answers by hand. */
type Call = { input: string; resolve: (v: string) => void; reject: (e: unknown) => void };

function setup(delayMs = 600) {
  const calls: Call[] = [];
  const settled: [string, Outcome<string>][] = [];
  const busy: boolean[] = [];
  const latest = new Latest<string, string>({
    delayMs,
    run: (input) => new Promise<string>((resolve, reject) => calls.push({ input, resolve, reject })),
    onSettled: (input, outcome) => settled.push([input, outcome]),
    onBusy: (b) => busy.push(b),
  });
  return { latest, calls, settled, busy };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("latest-wins requests", () => {
  test("waits until the input is still for the delay, then asks about the newest only", async () => {
    const { latest, calls, settled } = setup();
    latest.request("a");
    await vi.advanceTimersByTimeAsync(400);
    latest.request("ab");
    await vi.advanceTimersByTimeAsync(400);
    expect(calls, "each change restarts the wait").toEqual([]);
    latest.request("abc");
    await vi.advanceTimersByTimeAsync(599);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.input)).toEqual(["abc"]);
    calls[0].resolve("answer to abc");
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toEqual([["abc", { ok: true, value: "answer to abc" }]]);
  });

  test("never two in flight; the stale answer is dropped and the newest asked next", async () => {
    const { latest, calls, settled } = setup();
    latest.request("old");
    await vi.advanceTimersByTimeAsync(600);
    latest.request("new");
    await vi.advanceTimersByTimeAsync(600);
    expect(latest.inFlight).toBe(true);
    expect(calls.map((c) => c.input), "'new' waits for 'old' to end").toEqual(["old"]);
    calls[0].resolve("answer to old");
    await vi.advanceTimersByTimeAsync(0);
    expect(settled, "an answer for an input that was replaced is never shown").toEqual([]);
    expect(calls.map((c) => c.input)).toEqual(["old", "new"]);
    calls[1].resolve("answer to new");
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toEqual([["new", { ok: true, value: "answer to new" }]]);
    expect(latest.inFlight).toBe(false);
  });

  test("a change while a request is in flight drops its answer, even before the delay ends", async () => {
    const { latest, calls, settled } = setup();
    latest.request("first");
    await vi.advanceTimersByTimeAsync(600);
    latest.request("second");
    calls[0].resolve("answer to first");
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toEqual([]);
    expect(calls.length, "the second is still waiting out its delay").toBe(1);
    await vi.advanceTimersByTimeAsync(600);
    expect(calls.map((c) => c.input)).toEqual(["first", "second"]);
  });

  test("a rejection is an outcome too; a thrown error as well", async () => {
    const { latest, calls, settled } = setup(10);
    latest.request("bad");
    await vi.advanceTimersByTimeAsync(10);
    calls[0].reject({ code: "invalid_config" });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toEqual([["bad", { ok: false, error: { code: "invalid_config" } }]]);

    const thrown: Outcome<number>[] = [];
    const sync = new Latest<string, number>({
      delayMs: 0,
      run: () => {
        throw new Error("boom");
      },
      onSettled: (_i, o) => thrown.push(o),
    });
    sync.request("x");
    await vi.advanceTimersByTimeAsync(0);
    expect(thrown).toEqual([{ ok: false, error: new Error("boom") }]);
    expect(sync.inFlight).toBe(false);
  });

  test("a delay of 0 asks at once; cancel and dispose drop what is coming", async () => {
    const { latest, calls, settled, busy } = setup();
    latest.request("now", 0);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.input)).toEqual(["now"]);
    latest.cancel();
    expect(latest.busy).toBe(false);
    calls[0].resolve("late");
    await vi.advanceTimersByTimeAsync(0);
    expect(settled, "cancelled: the answer is dropped").toEqual([]);
    latest.request("later");
    latest.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.length, "disposed: the waiting input is never asked about").toBe(1);
    latest.request("after");
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.length).toBe(1);
    expect(busy).toEqual([true, false, true, false]);
  });
});
