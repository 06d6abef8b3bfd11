import { expect, test } from "vitest";
import { chartDrawn, onFirstChart } from "./firstChart";

test("only the first chart drawn is reported", () => {
  let reports = 0;
  chartDrawn(); // before anyone listens: nothing to report to
  onFirstChart(() => reports++);
  chartDrawn();
  chartDrawn();
  expect(reports).toBe(1);
});
