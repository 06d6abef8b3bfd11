import { describe, expect, test } from "vitest";
import { chartedInterfaces, interfaceKind, isIdle, isVirtualInterface } from "./interfaces";

describe("virtual interfaces", () => {
  test("loopback, ifb, veth, Docker, libvirt bridges and tunnels are virtual", () => {
    for (const name of ["lo", "lo0", "ifb0", "ifb1", "veth3a9f2c1", "docker0", "br-4f1e2d3c4b5a", "virbr0", "virbr0-nic", "vnet12", "tun0", "tap3"])
      expect(isVirtualInterface(name), name).toBe(true);
  });

  test("physical and wireless interfaces are not", () => {
    for (const name of ["eth0", "enp3s0", "eno1", "wlan0", "wlp2s0", "wwan0", "bond0", "en0", "lowpan0", "local0", "ibr0", "mytun0"])
      expect(isVirtualInterface(name), name).toBe(false);
  });

  test("names are matched as the kernel writes them", () => {
    expect(isVirtualInterface("LO")).toBe(false);
    expect(isVirtualInterface("Docker0")).toBe(false);
    expect(isVirtualInterface("")).toBe(false);
  });
});

describe("idle interfaces", () => {
  test("are idle when every sample both ways is 0", () => {
    expect(isIdle([0, 0, 0], [0, 0])).toBe(true);
    expect(isIdle([], []), "nothing to chart").toBe(true);
    expect(isIdle([0, null, Number.NaN, undefined], [0]), "absent readings are not traffic").toBe(true);
  });

  test("any traffic either way, at any time, makes it active", () => {
    expect(isIdle([0, 0, 12], [0, 0, 0]), "received once").toBe(false);
    expect(isIdle([0, 0, 0], [0.5, 0, 0]), "sent once, long ago").toBe(false);
    expect(isIdle([0], [0], [null, 3]), "a third series counts too").toBe(false);
  });

  test("reads the samples lazily and stops at the first traffic", () => {
    let read = 0;
    function* samples() {
      for (const v of [0, 7, 0, 0]) {
        read += 1;
        yield v;
      }
    }
    expect(isIdle(samples())).toBe(false);
    expect(read).toBe(2);
  });

  test("virtual wins over idle, idle over active", () => {
    expect(interfaceKind("lo", [5000], [5000]), "busy loopback").toBe("virtual");
    expect(interfaceKind("ifb0", [0], [0])).toBe("virtual");
    expect(interfaceKind("eth1", [0, 0], [0, 0])).toBe("idle");
    expect(interfaceKind("eth0", [0, 1200], [300])).toBe("active");
  });
});

describe("the interfaces to chart", () => {
  type Iface = { name: string; rx: number[]; tx: number[] };
  const IFACES: Iface[] = [
    { name: "docker0", rx: [0, 40], tx: [0, 10] },
    { name: "enp3s0", rx: [1200, 900], tx: [80, 60] },
    { name: "ifb0", rx: [0], tx: [0] },
    { name: "ifb1", rx: [0], tx: [0] },
    { name: "lo", rx: [500], tx: [500] },
    { name: "wlan0", rx: [0, 0], tx: [0, 0] },
    { name: "wwan0", rx: [0, 0], tx: [0, 5] },
  ];
  const samples = (i: Iface) => [i.rx, i.tx];
  const names = (r: ReturnType<typeof chartedInterfaces<Iface>>) => r.shown.map((c) => `${c.iface.name}:${c.kind}`);

  test("by default only active physical interfaces, in their order", () => {
    const r = chartedInterfaces(IFACES, samples, false);
    expect(names(r)).toEqual(["enp3s0:active", "wwan0:active"]);
    expect(r.hiddenByDefault).toBe(5);
  });

  test("showing all lists every one in its order, with why it is normally hidden", () => {
    const r = chartedInterfaces(IFACES, samples, true);
    expect(names(r)).toEqual([
      "docker0:virtual", "enp3s0:active", "ifb0:virtual", "ifb1:virtual", "lo:virtual", "wlan0:idle", "wwan0:active",
    ]);
    expect(r.hiddenByDefault, "counted the same either way").toBe(5);
  });

  test("nothing to hide, or nothing left", () => {
    expect(chartedInterfaces([IFACES[1]], samples, false)).toEqual({ shown: [{ iface: IFACES[1], kind: "active" }], hiddenByDefault: 0 });
    expect(chartedInterfaces([IFACES[2], IFACES[4]], samples, false)).toEqual({ shown: [], hiddenByDefault: 2 });
    expect(chartedInterfaces([], samples, false)).toEqual({ shown: [], hiddenByDefault: 0 });
  });
});
