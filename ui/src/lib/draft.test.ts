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

describe("saving the draft", () => {
  test("a refused save keeps every typed value and maps the errors; a good save clears them", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const draft = new ConfigDraft(new FakeBackend({ timer: false }));
    await draft.load();
    draft.draft!.rules[0].window = "whenever";
    draft.draft!.rules[1].name = "Renamed";
    expect(await draft.save(), "refused").toBe(false);
    expect(draft.saveState.kind).toBe("invalid");
    expect(draft.errors.map((e) => e.path)).toEqual([["rules", 0, "window"]]);
    expect(draft.draft!.rules[0].window, "nothing typed is lost").toBe("whenever");
    expect(draft.draft!.rules[1].name).toBe("Renamed");
    expect(draft.dirty).toBe(true);
    draft.draft!.rules[0].window = "2h";
    expect(await draft.save(), "accepted").toBe(true);
    expect(draft.errors).toEqual([]);
    expect(draft.saveState.kind).toBe("saved");
    expect(draft.dirty, "saved means clean").toBe(false);
    expect(draft.saved?.rules[1].name).toBe("Renamed");
  });

  test("deleting a rule keeps the remaining errors on the right rules", async () => {
    const { FakeBackend } = await import("./backend/fake");
    const { ConfigDraft } = await import("./draft.svelte");
    const draft = new ConfigDraft(new FakeBackend({ timer: false }));
    await draft.load();
    draft.draft!.rules[2].window = "x";
    await draft.save();
    const key = draft.ruleKeys[2];
    draft.removeRule(0);
    expect(draft.errors.map((e) => e.path), "rules[2] is now rules[1]").toEqual([["rules", 1, "window"]]);
    expect(draft.ruleKeys[1], "its form keeps its identity").toBe(key);
  });
});
