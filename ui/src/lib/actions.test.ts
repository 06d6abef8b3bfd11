import { afterEach, describe, expect, test } from "vitest";
import { actionScheduleParts, commandText, gaveUpText, outcomeOk, outcomeText } from "./actions";
import { setLanguage } from "./i18n.svelte";

afterEach(() => setLanguage("en"));

describe("rule actions in words", () => {
  test("a command is one line, quoted where a shell would need it", () => {
    expect(commandText(["/usr/local/bin/clean-build-cache", "--older-than", "7d"])).toBe("/usr/local/bin/clean-build-cache --older-than 7d");
    expect(commandText(["sh", "-c", "echo it's done", ""])).toBe(`sh -c 'echo it'\\''s done' ''`);
  });

  test("how a run ended", () => {
    expect(outcomeText({ kind: "exited", code: 0 })).toBe("exited 0");
    expect(outcomeText({ kind: "exited", code: 3 })).toBe("exited 3");
    expect(outcomeText({ kind: "signalled", signal: 9 })).toBe("ended by signal 9");
    expect(outcomeText({ kind: "timed_out" })).toBe("killed at its timeout");
    expect(outcomeText({ kind: "not_started", error: "No such file or directory (os error 2)" })).toBe(
      "could not start: No such file or directory (os error 2)",
    );
    expect(outcomeText({ kind: "exited", code: 12345 }), "codes are not grouped like amounts").toBe("exited 12345");
    setLanguage("ko");
    expect(outcomeText({ kind: "timed_out" })).toBe("제한 시간이 지나 강제 종료됨");
    expect(outcomeText({ kind: "exited", code: 3 })).toBe("종료 코드 3");
  });

  test("only exiting with 0 went well", () => {
    expect(outcomeOk({ kind: "exited", code: 0 })).toBe(true);
    expect(outcomeOk({ kind: "exited", code: 1 })).toBe(false);
    expect(outcomeOk({ kind: "signalled", signal: 15 })).toBe(false);
    expect(outcomeOk({ kind: "timed_out" })).toBe(false);
  });

  test("when an action runs, with Lookout's defaults filled in", () => {
    expect(actionScheduleParts({ on: ["firing"], run: ["x"] })).toEqual(["runs on Firing", "stopped after 1 min"]);
    expect(actionScheduleParts({ on: ["firing", "reminder"], run: ["x"], timeout: "30s", max_runs: 3, within: "15m" })).toEqual([
      "runs on Firing and Reminder", "stopped after 30 s", "at most 3 runs in 15 min",
    ]);
    expect(actionScheduleParts({ on: [], run: ["x"], max_runs: 1 })).toEqual(["runs on Firing", "stopped after 1 min", "at most 1 run until resolved"]);
    setLanguage("ko");
    expect(actionScheduleParts({ on: ["resolved"], run: ["x"], max_runs: 2, within: "1h" })).toEqual([
      "해제 시 실행", "1분 지나면 중지", "1시간 동안 최대 2번",
    ]);
  });

  test("a gave-up event says what Lookout stopped running", () => {
    const g = { command: ["systemctl", "--user", "restart", "my app.service"], runs: 3, within: "15m" };
    expect(gaveUpText(g)).toBe(
      "Gave up running systemctl --user restart 'my app.service' after 3 tries in 15 min. It runs again once the rule has resolved.",
    );
    expect(gaveUpText({ ...g, within: null })).toContain("after 3 tries. It runs again");
    setLanguage("ko");
    expect(gaveUpText(g)).toBe("15분 동안 3번 시도한 뒤 systemctl --user restart 'my app.service' 실행을 포기했습니다. 규칙이 해제되면 다시 실행합니다.");
  });
});
