import { expect, test } from "vitest";
import { VIEWS, viewFromHash } from "./route.svelte";

test("the hash selects the view; anything else is the overview", () => {
  expect(viewFromHash("#/alerts")).toBe("alerts");
  expect(viewFromHash("#alerts")).toBe("alerts");
  expect(viewFromHash("#/deliveries")).toBe("deliveries");
  expect(viewFromHash("#/rules?rule=2")).toBe("rules");
  expect(viewFromHash("#/settings")).toBe("settings");
  expect(viewFromHash("")).toBe("overview");
  expect(viewFromHash("#/nope")).toBe("overview");
});

test("Settings comes last in the navigation", () => {
  expect(VIEWS.at(-1)).toEqual({ id: "settings", labelId: "ui-nav-settings" });
});
