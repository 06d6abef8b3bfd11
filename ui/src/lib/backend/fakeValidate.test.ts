import { describe, expect, test } from "vitest";
import { defaultFakeConfig } from "./fakeData";
import { mailboxError, metricKeyError, parseDuration, validateConfig } from "./fakeValidate";

describe("the fake's mirror of config validation", () => {
  test("durations", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("1h 30m")).toBe(5_400_000);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("five")).toMatch(/'five' is not a duration/);
    expect(parseDuration("-5m")).toMatch(/negative/);
    expect(parseDuration("5")).toMatch(/not a duration/);
  });

  test("metric keys and mailboxes", () => {
    expect(metricKeyError("disk./home.used_pct")).toBeNull();
    expect(metricKeyError("cpu.totl")).toMatch(/unknown metric 'cpu.totl'/);
    expect(mailboxError("Me <me@example.com>")).toBeNull();
    expect(mailboxError("a@b, c@d")).toMatch(/not an email address/);
  });

  test("the default config is valid; each problem has its path", () => {
    expect(validateConfig(defaultFakeConfig())).toEqual([]);
    const c = defaultFakeConfig();
    c.sampling.interval = "10ms";
    c.rules[1].name = c.rules[0].name;
    c.rules[3].clear_threshold = 95;
    c.email.subject = "{rule} {nope}";
    const paths = validateConfig(c).map((e) => e.path.join("."));
    expect(paths).toEqual(["sampling.interval", "email.subject", "rules.1.name", "rules.3.clear_threshold"]);
  });
});
