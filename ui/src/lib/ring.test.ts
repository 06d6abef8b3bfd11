import { describe, expect, test } from "vitest";
import { SeriesRing, SeriesStore } from "./ring";

describe("SeriesRing", () => {
  test("keeps at most `capacity` samples, oldest dropped first", () => {
    const ring = new SeriesRing(3, 1e9);
    for (let t = 1; t <= 5; t++) ring.push(t * 1000, t);
    expect(ring.length).toBe(3);
    expect(ring.toArrays().values, "the newest three remain, in order").toEqual([3, 4, 5]);
    expect(ring.last()).toEqual({ t: 5000, v: 5 });
  });

  test("drops samples older than maxAge behind the newest", () => {
    const ring = new SeriesRing(100, 10_000);
    for (let t = 0; t <= 20_000; t += 1000) ring.push(t, t / 1000);
    const { times } = ring.toArrays();
    expect(times[0], "nothing at or before newest - 10 s").toBe(11_000);
    expect(times.at(-1)).toBe(20_000);
  });

  test("ignores samples not newer than the last, and non-finite values", () => {
    const ring = new SeriesRing(10, 1e9);
    expect(ring.push(2000, 1)).toBe(true);
    expect(ring.push(2000, 9), "a repeated time (history and stream overlap)").toBe(false);
    expect(ring.push(1000, 9), "an older time").toBe(false);
    expect(ring.push(3000, Number.NaN), "NaN is an absent reading").toBe(false);
    expect(ring.toArrays()).toEqual({ times: [2000], values: [1] });
  });

  test("plot data is in seconds with a break across a sampling gap", () => {
    const ring = new SeriesRing(10, 1e9);
    [1000, 2000, 60_000, 61_000].forEach((t, i) => ring.push(t, i));
    const [xs, ys] = ring.toPlotData(5000);
    expect(xs[0]).toBe(1);
    expect(ys, "a null marks the suspend gap so no line is drawn across it").toEqual([0, 1, null, 2, 3]);
  });

  test("readings are the values oldest first, across the wrap of the ring", () => {
    const ring = new SeriesRing(3, 1e9);
    expect([...ring.readings()], "an empty ring").toEqual([]);
    for (let t = 1; t <= 5; t++) ring.push(t * 1000, t * 10);
    expect([...ring.readings()]).toEqual([30, 40, 50]);
    expect([...ring.readings()], "read again, the same").toEqual(ring.toArrays().values);
  });

  test("refuses a zero capacity", () => {
    expect(() => new SeriesRing(0)).toThrow(/capacity '0'/);
  });
});

describe("SeriesStore", () => {
  test("history then ticks, each metric in its own ring", () => {
    const store = new SeriesStore(100, 60_000);
    store.ingestSeries([
      { metric: "cpu.total", times: [1000, 2000], values: [10, 20] },
      { metric: "mem.used_pct", times: [1000], values: [50] },
    ]);
    store.ingestTick({ at: 2000, values: { "cpu.total": 99 }, rules: [] });
    store.ingestTick({ at: 3000, values: { "cpu.total": 30, "load.1": 0.5 }, rules: [] });
    expect(store.get("cpu.total")?.toArrays().values, "the overlapping tick is not doubled").toEqual([10, 20, 30]);
    expect(store.keys()).toEqual(["cpu.total", "load.1", "mem.used_pct"]);
  });

  test("a tick ages out metrics that stopped reporting", () => {
    const store = new SeriesStore(100, 10_000);
    store.ingestTick({ at: 1000, values: { "temp.x": 40 }, rules: [] });
    store.ingestTick({ at: 20_000, values: { "cpu.total": 5 }, rules: [] });
    expect(store.get("temp.x")?.length, "old readings of an absent sensor are gone").toBe(0);
  });
});
