import { describe, expect, test } from "vitest";
import { DEFAULT_LISTEN, HTTP_OFF, httpProblems, metricsUrl, parseListen } from "./httpSettings";

describe("listen addresses", () => {
  test("IPv4 and bracketed IPv6 with a port are read, spaces around them ignored", () => {
    expect(parseListen("127.0.0.1:9464")).toEqual({ ip: "127.0.0.1", port: 9464, version: 4, loopback: true });
    expect(parseListen(" [::1]:9464 ")).toEqual({ ip: "[::1]", port: 9464, version: 6, loopback: true });
    expect(parseListen("0.0.0.0:0")?.port, "port 0: any free port").toBe(0);
    expect(parseListen("192.168.1.20:65535")?.port).toBe(65535);
    for (const ok of ["[::]:9464", "[fe80::1%2]:80", "[::ffff:10.0.0.1]:9464", "[1:2:3:4:5:6:7:8]:1", "[1:2:3:4:5:6:1.2.3.4]:1", "[1::]:1", "10.0.0.1:09464"])
      expect(parseListen(ok), ok).not.toBeNull();
  });

  test("host names, missing or out-of-range ports and malformed addresses are not", () => {
    for (const bad of [
      "", "   ", "localhost:9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:94 64",
      "256.0.0.1:9464", "01.2.3.4:9464", "1.2.3:9464", "1.2.3.4.5:9464", "::1:9464", "[::1]", "[::1]9464",
      "[1::2::3]:1", "[1:2:3:4:5:6:7:8:9]:1", "[12345::]:1", "[fe80::1%eth0]:80", "[1.2.3.4::]:1", "http://127.0.0.1:9464",
    ])
      expect(parseListen(bad), JSON.stringify(bad)).toBeNull();
  });

  test("only 127.0.0.0/8 and ::1 serve this computer alone", () => {
    expect(parseListen("127.10.0.3:1")?.loopback).toBe(true);
    expect(parseListen("0.0.0.0:9464")?.loopback, "every interface").toBe(false);
    expect(parseListen("192.168.1.20:9464")?.loopback).toBe(false);
    expect(parseListen("[0:0:0:0:0:0:0:1]:9464")?.loopback).toBe(true);
    expect(parseListen("[::]:9464")?.loopback).toBe(false);
    expect(parseListen("[::ffff:127.0.0.1]:9464")?.loopback, "as Rust's Ipv6Addr::is_loopback").toBe(false);
  });

  test("the scrape address is the listen address's /metrics, when it is valid", () => {
    expect(metricsUrl(DEFAULT_LISTEN)).toBe("http://127.0.0.1:9464/metrics");
    expect(metricsUrl(" [::1]:9464")).toBe("http://[::1]:9464/metrics");
    expect(metricsUrl("")).toBeNull();
    expect(metricsUrl("localhost:9464")).toBeNull();
  });
});

describe("Lookout's checks of [http]", () => {
  test("off, or on at a valid address, is fine", () => {
    expect(httpProblems(HTTP_OFF)).toEqual([]);
    expect(httpProblems({ listen: DEFAULT_LISTEN, dashboard: true })).toEqual([]);
  });

  test("an address it cannot read names the address, trimmed", () => {
    const [e, ...more] = httpProblems({ listen: " localhost:9464 ", dashboard: false });
    expect(more).toEqual([]);
    expect([e.path, e.code, e.params]).toEqual([["http", "listen"], "http.listen.invalid", { value: "localhost:9464" }]);
  });

  test("the dashboard without an address to serve on", () => {
    const errors = httpProblems({ listen: " ", dashboard: true });
    expect(errors.map((e) => [e.path, e.code, e.params])).toEqual([[["http", "dashboard"], "http.dashboard.no_listen", {}]]);
  });
});
