import { describe, expect, test } from "vitest";
import { toApiError } from "../fieldErrors";
import { FakeBackend, recorded } from "./fake";

const fake = () => new FakeBackend({ now: () => 1_700_000_900_000, timer: false });

describe("Prometheus and web access ([http], checked by the fake itself)", () => {
  test("a recorded config serving /metrics and the dashboard is valid, saved and kept", async () => {
    const b = fake();
    const config = recorded("default").config;
    config.http = { listen: "0.0.0.0:9464", dashboard: true };
    expect(await b.validateConfig(config)).toEqual([]);
    expect((await b.setConfig(config)).http).toEqual(config.http);
    expect((await b.getConfig()).http, "kept").toEqual(config.http);
    expect((await b.getStatus()).overall, "still the recorded run").toBe("warning");
    const off = recorded("default").config;
    expect((await b.setConfig(off)).http, "turned off again").toEqual({ listen: "", dashboard: false });
  });

  test("an address Lookout cannot read is refused next to its field, and nothing is saved", async () => {
    const b = fake();
    const config = recorded("default").config;
    config.http = { listen: "localhost:9464", dashboard: false };
    const errors = await b.validateConfig(config);
    expect(errors.map((e) => [e.path, e.code, e.params])).toEqual([[["http", "listen"], "http.listen.invalid", { value: "localhost:9464" }]]);
    const err = toApiError(await b.setConfig(config).catch((e: unknown) => e));
    expect(err.code).toBe("invalid_config");
    expect(err.fields?.map((f) => f.code)).toEqual(["http.listen.invalid"]);
    expect((await b.getConfig()).http.listen, "unchanged").toBe("");
  });

  test("the dashboard without an address, among the recorded errors in Lookout's order", async () => {
    const config = recorded("rule1_window_not_a_duration").config;
    config.http = { listen: "", dashboard: true };
    const errors = await fake().validateConfig(config);
    expect(errors.map((e) => e.code)).toEqual(["http.dashboard.no_listen", "duration.invalid"]);
    expect(errors[0].path).toEqual(["http", "dashboard"]);
  });

  test("[http] does not make an unrecorded config known", async () => {
    const config = recorded("default").config;
    config.http = { listen: "127.0.0.1:9464", dashboard: false };
    config.rules[0].threshold = 81;
    expect(toApiError(await fake().validateConfig(config).catch((e: unknown) => e)).code).toBe("internal");
  });
});
