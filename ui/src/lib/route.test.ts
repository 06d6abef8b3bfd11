import { expect, test } from "vitest";
import { viewFromHash } from "./route.svelte";

test("the hash selects the view; anything else is the overview", () => {
  expect(viewFromHash("#/alerts")).toBe("alerts");
  expect(viewFromHash("#alerts")).toBe("alerts");
  expect(viewFromHash("#/rules?rule=2")).toBe("rules");
  expect(viewFromHash("")).toBe("overview");
  expect(viewFromHash("#/nope")).toBe("overview");
});
