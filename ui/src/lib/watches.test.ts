import { afterEach, describe, expect, test } from "vitest";
import type { AppConfig } from "./bindings/AppConfig";
import type { ProcessEntry } from "./bindings/ProcessEntry";
import { fakeProcessList } from "./backend/fakeProcesses";
import { setLanguage } from "./i18n.svelte";
import {
  MAX_NAME_CHARS, criterionOf, groupProcesses, isValidWatchName, localWatchErrors, matchOf, matchSummary,
  proposeWatch, sanitizeWatchName, searchGroups, uniqueWatchName,
} from "./watches";

afterEach(() => setLanguage("en"));

const proc = (pid: number, name: string, exe: string | null, extra: Partial<ProcessEntry> = {}): ProcessEntry => ({
  pid, name, exe, cmdline: exe ?? name, user: "dev", cpu_pct: 1, rss_bytes: 1024, ...extra,
});
const watch = (name: string, match: AppConfig["match"] = { process: "x" }): AppConfig => ({ name, match, include_children: true });

describe("watch names", () => {
  test("only names without dots, braces, spaces or control characters are valid", () => {
    for (const ok of ["postgres", "my-app", "Isolated_Web", "웹서버"]) expect(isValidWatchName(ok), ok).toBe(true);
    for (const bad of ["", "  ", "my app", "a.b", "a{b}", "tab\there", "bell\u0007", "bidi\u202e", "x".repeat(MAX_NAME_CHARS + 1)])
      expect(isValidWatchName(bad), JSON.stringify(bad)).toBe(false);
  });

  test("any process name is made into a valid one", () => {
    expect(sanitizeWatchName("Isolated Web Co")).toBe("Isolated-Web-Co");
    expect(sanitizeWatchName("python3.11")).toBe("python3-11");
    expect(sanitizeWatchName("  {kworker/0:1}  ")).toBe("kworker/0:1");
    expect(sanitizeWatchName("a . b\t\nc")).toBe("a-b-c");
    expect(sanitizeWatchName("...")).toBe("app");
    expect(sanitizeWatchName("x".repeat(300))).toHaveLength(MAX_NAME_CHARS);
    for (const raw of ["Isolated Web Co", "python3.11", "{a}", "\u0000", "a\u202eb"]) expect(isValidWatchName(sanitizeWatchName(raw)), raw).toBe(true);
  });

  test("a taken name gets a number", () => {
    expect(uniqueWatchName("postgres", [])).toBe("postgres");
    expect(uniqueWatchName("postgres", ["postgres"])).toBe("postgres-2");
    expect(uniqueWatchName("postgres", ["postgres", "postgres-2"])).toBe("postgres-3");
    const long = "x".repeat(MAX_NAME_CHARS);
    const next = uniqueWatchName(long, [long]);
    expect(next.endsWith("-2") && next.length === MAX_NAME_CHARS, "still within the limit").toBe(true);
  });
});

describe("the picker's groups", () => {
  test("processes are grouped by executable, or by name when it is unknown", () => {
    const groups = groupProcesses(fakeProcessList());
    const firefox = groups.find((g) => g.exe === "/usr/lib/firefox-esr/firefox-esr")!;
    expect(firefox.count, "one group for the browser and its content processes").toBe(3);
    expect(firefox.name, "named after the process that is the executable's own").toBe("firefox-esr");
    expect(firefox.cpu).toBeCloseTo(6.4 + 3.1 + 1.2);
    expect(firefox.rss).toBe(firefox.processes.reduce((s, p) => s + p.rss_bytes, 0));
    const postgres = groups.find((g) => g.key === "name:postgres")!;
    expect([postgres.exe, postgres.count, postgres.users]).toEqual([null, 4, ["postgres"]]);
    expect(groups.map((g) => g.cpu), "busiest first").toEqual([...groups.map((g) => g.cpu)].sort((a, b) => b - a));
    expect(groups.reduce((s, g) => s + g.count, 0), "every process is in one group").toBe(fakeProcessList().length);
  });

  test("a cut process name still counts as the executable's own; otherwise the commonest wins", () => {
    const [g] = groupProcesses([
      proc(1, "worker", "/opt/app/bin/long-server-name"),
      proc(2, "long-server-nam", "/opt/app/bin/long-server-name"),
    ]);
    expect(g.name).toBe("long-server-nam");
    const [h] = groupProcesses([proc(1, "a", "/usr/bin/python3"), proc(2, "b", "/usr/bin/python3"), proc(3, "b", "/usr/bin/python3")]);
    expect(h.name).toBe("b");
  });

  test("search finds groups by name, executable, command line or user, every word", () => {
    const groups = groupProcesses(fakeProcessList());
    const keys = (q: string) => searchGroups(groups, q).map((g) => g.key);
    expect(keys("")).toHaveLength(groups.length);
    expect(keys("FIREFOX")).toEqual(["exe:/usr/lib/firefox-esr/firefox-esr"]);
    expect(keys("checkpointer"), "by a command line").toEqual(["name:postgres"]);
    expect(keys("postgres"), "by user or name").toEqual(["name:postgres"]);
    expect(keys("build-server.jar")).toEqual(["exe:/usr/lib/jvm/java-17-openjdk-amd64/bin/java"]);
    expect(keys("root xorg")).toEqual(["name:Xorg"]);
    expect(keys("no-such-thing")).toEqual([]);
  });

  test("picking a group proposes a valid, unique watch, by executable when it is known", () => {
    const groups = groupProcesses(fakeProcessList());
    const firefox = groups.find((g) => g.name === "firefox-esr")!;
    expect(proposeWatch(firefox, [])).toEqual({
      name: "firefox-esr", match: { exe: "/usr/lib/firefox-esr/firefox-esr" }, include_children: true,
    });
    const postgres = groups.find((g) => g.key === "name:postgres")!;
    expect(proposeWatch(postgres, [watch("postgres")])).toEqual({
      name: "postgres-2", match: { process: "postgres" }, include_children: true,
    });
    const [odd] = groupProcesses([proc(9, "Web Content.1", null)]);
    expect(proposeWatch(odd, []).name).toBe("Web-Content-1");
    expect(proposeWatch(odd, []).match, "the process name itself is matched as it is").toEqual({ process: "Web Content.1" });
  });

  test("the form edits one criterion of a match", () => {
    expect(criterionOf({ exe: "/usr/bin/x" })).toEqual({ criterion: "exe", value: "/usr/bin/x" });
    expect(criterionOf({ process: "x", user: "dev" })).toEqual({ criterion: "process", value: "x" });
    expect(matchOf("cmdline", "my-app( |$)")).toEqual({ cmdline: "my-app( |$)" });
  });
});

describe("what the form sees before asking Lookout", () => {
  const codes = (app: AppConfig, existing: AppConfig[] = []) =>
    localWatchErrors(app, existing.length, existing).map((e) => [e.path.join("."), e.code, e.params]);

  test("a good watch has no problems", () => {
    expect(codes(watch("nginx", { exe: "/usr/sbin/nginx" }), [watch("postgres")])).toEqual([]);
    expect(codes(watch("app", { cmdline: "(" })), "regular expressions are Lookout's to judge").toEqual([]);
  });

  test("names: missing, unusable, taken", () => {
    expect(codes(watch(" "))).toEqual([["apps.0.name", "app.name.missing", {}]]);
    expect(codes(watch("my app"))).toEqual([["apps.0.name", "app.name.invalid", { value: "my app" }]]);
    expect(codes(watch("a\nb"))).toEqual([["apps.0.name", "name.control_chars", { value: "a\nb" }]]);
    expect(codes(watch("pg"), [watch("x"), watch("pg")])).toEqual([["apps.2.name", "app.name.duplicate", { value: "pg", first: "1" }]]);
    expect(codes(watch("x".repeat(201)))[0]).toEqual(["apps.0.name", "name.too_long", { length: "201", max: "200" }]);
  });

  test("matches: none, empty, a relative executable", () => {
    expect(codes(watch("a", {}))).toEqual([["apps.0.match", "app.match.empty", {}]]);
    expect(codes(watch("a", { process: "" }))).toEqual([["apps.0.match.process", "app.match.field_empty", { field: "process" }]]);
    expect(codes(watch("a", { exe: "bin/nginx" }))).toEqual([["apps.0.match.exe", "app.match.exe_not_absolute", { value: "bin/nginx" }]]);
  });

  test("a match is described in the window's language", () => {
    expect(matchSummary({ exe: "/usr/bin/x", user: "dev" })).toBe("program /usr/bin/x · user dev");
    setLanguage("ko");
    expect(matchSummary({ process: "postgres" })).toBe("프로세스 postgres");
  });
});
