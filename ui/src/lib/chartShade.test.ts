// Shaded spans (firing periods) placed on a chart in pixels, and when shading changed.
import { describe, expect, test } from "vitest";
import { sameShade, shadeRects, type ShadeSpan } from "./chartShade";

// A plot area from x = 50 px to 150 px showing 0..100 s: one px per second.
const LEFT = 50;
const WIDTH = 100;
const toPx = (ms: number) => LEFT + ms / 1000;

describe("shaded spans in pixels", () => {
  test("a span inside the area is drawn where it is", () => {
    expect(shadeRects([{ from: 10_000, to: 30_000, severity: "warning" }], toPx, LEFT, WIDTH)).toEqual([{ x: 60, width: 20, severity: "warning" }]);
  });

  test("spans are clipped to the area; those wholly outside are dropped", () => {
    const spans: ShadeSpan[] = [
      { from: -50_000, to: 20_000, severity: "warning" },
      { from: 90_000, to: 300_000, severity: "warning" },
      { from: -90_000, to: -10_000, severity: "critical" },
      { from: 120_000, to: 130_000, severity: "critical" },
    ];
    expect(shadeRects(spans, toPx, LEFT, WIDTH)).toEqual([
      { x: 50, width: 20, severity: "warning" },
      { x: 140, width: 10, severity: "warning" },
    ]);
  });

  test("a span still going runs to the right edge; a very short one is still a pixel wide", () => {
    expect(shadeRects([{ from: 70_000, to: null, severity: "critical" }], toPx, LEFT, WIDTH)).toEqual([{ x: 120, width: 30, severity: "critical" }]);
    expect(shadeRects([{ from: 40_000, to: 40_100, severity: "critical" }], toPx, LEFT, WIDTH)).toEqual([{ x: 90, width: 1, severity: "critical" }]);
  });

  test("critical spans come last, so they are painted over warnings", () => {
    const rects = shadeRects(
      [
        { from: 0, to: 50_000, severity: "critical" },
        { from: 20_000, to: 80_000, severity: "warning" },
      ],
      toPx, LEFT, WIDTH,
    );
    expect(rects.map((r) => r.severity)).toEqual(["warning", "critical"]);
  });

  test("a span that ends before it begins, or at an unknown place, is not drawn", () => {
    expect(shadeRects([{ from: 50_000, to: 40_000, severity: "warning" }], toPx, LEFT, WIDTH)).toEqual([]);
    expect(shadeRects([{ from: 10_000, to: 20_000, severity: "warning" }], () => NaN, LEFT, WIDTH)).toEqual([]);
  });
});

describe("whether shading changed", () => {
  test("the same spans are the same shading; any field differing is not", () => {
    const a: ShadeSpan[] = [{ from: 1, to: null, severity: "warning" }];
    expect(sameShade(a, [{ from: 1, to: null, severity: "warning" }])).toBe(true);
    expect(sameShade(a, [{ from: 1, to: 2, severity: "warning" }])).toBe(false);
    expect(sameShade(a, [{ from: 1, to: null, severity: "critical" }])).toBe(false);
    expect(sameShade(a, [])).toBe(false);
  });
});
