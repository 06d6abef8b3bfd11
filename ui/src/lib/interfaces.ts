// Which network interfaces the overview charts by default: virtual ones (loopback, ifb, veth,
// container and VM bridges, tunnels) and idle ones (no traffic in anything the chart holds)
// are hidden until the person asks to see them. Pure: the overview hands in the samples.

/** Why an interface is hidden by default, or "active" when it is shown. */
export type InterfaceKind = "virtual" | "idle" | "active";

/**
 * Name prefixes of virtual interfaces: ifb (traffic shaping), veth (container pairs), docker
 * and br- (Docker bridges), virbr and vnet (libvirt), tun and tap (VPNs, VMs).
 */
export const VIRTUAL_PREFIXES: readonly string[] = ["ifb", "veth", "docker", "br-", "virbr", "vnet", "tun", "tap"];

/** Loopback: `lo` on Linux, `lo0` on the BSDs and macOS (not `lowpan0` and the like). */
const LOOPBACK = /^lo\d*$/;

/** Whether `name` is a virtual interface (loopback or a VIRTUAL_PREFIXES name); case matters, as in the kernel. */
export function isVirtualInterface(name: string): boolean {
  return LOOPBACK.test(name) || VIRTUAL_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * Whether no sample of any of `series` (received, sent) shows traffic: each one is 0 or
 * absent (null, NaN). No samples at all is idle too: there is nothing to chart.
 */
export function isIdle(...series: Iterable<number | null | undefined>[]): boolean {
  for (const samples of series)
    for (const v of samples) if (typeof v === "number" && Number.isFinite(v) && v !== 0) return false;
  return true;
}

/** Why interface `name` with these samples is hidden ("virtual" wins over "idle"), or "active". */
export function interfaceKind(name: string, ...series: Iterable<number | null | undefined>[]): InterfaceKind {
  if (isVirtualInterface(name)) return "virtual";
  return isIdle(...series) ? "idle" : "active";
}

/** An interface with why it is (or would be) hidden. */
export type Classified<T> = { iface: T; kind: InterfaceKind };

/**
 * The interfaces to chart, in their order, each with its kind: the active ones, or every
 * one when `showAll`; and how many are hidden by default (whether shown now or not).
 */
export function chartedInterfaces<T extends { name: string }>(
  ifaces: readonly T[],
  samplesOf: (iface: T) => Iterable<number | null | undefined>[],
  showAll: boolean,
): { shown: Classified<T>[]; hiddenByDefault: number } {
  const all = ifaces.map((iface) => ({ iface, kind: interfaceKind(iface.name, ...samplesOf(iface)) }));
  const active = all.filter((c) => c.kind === "active");
  return { shown: showAll ? all : active, hiddenByDefault: all.length - active.length };
}
