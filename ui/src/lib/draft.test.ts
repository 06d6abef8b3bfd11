import { describe, expect, test } from "vitest";
import { defaultFakeConfig } from "./backend/fakeData";
import { freeName, localErrors, toWire } from "./draft.svelte";

describe("the config draft sent to the backend", () => {
  test("blank optional fields become absent, the typed draft is untouched", () => {
    const draft = defaultFakeConfig();
    draft.rules[0].for = "  ";
    draft.rules[0].channels = [];
    draft.email.username = "";
    draft.email.to = ["me@example.com", "", " you@example.com "];
    const wire = toWire(draft);
    expect(wire.rules[0].for).toBeNull();
    expect(wire.rules[0].channels, "no channel ticked means every enabled channel").toBeNull();
    expect(wire.email.username).toBeNull();
    expect(wire.email.to).toEqual(["me@example.com", "you@example.com"]);
    expect(draft.rules[0].for, "the form keeps what was typed").toBe("  ");
  });

  test("an emptied threshold is caught before any call", () => {
    const draft = defaultFakeConfig();
    (draft.rules[1] as { threshold: number | null }).threshold = null;
    expect(localErrors(draft)).toEqual([
      { path: ["rules", 1, "threshold"], message: "a threshold is needed, like 80" },
    ]);
  });

  test("new rule names never collide", () => {
    const rules = defaultFakeConfig().rules;
    expect(freeName("New rule", rules)).toBe("New rule");
    rules[0].name = "New rule";
    rules[1].name = "New rule 2";
    expect(freeName("New rule", rules)).toBe("New rule 3");
  });
});
