// The `[http]` settings in the window: whether a listen address is one Lookout accepts (an
// IPv4 or bracketed IPv6 address and a port, as Rust's SocketAddr reads it), whether it serves
// this computer only (loopback), the `/metrics` address Prometheus scrapes, and Lookout's two
// checks of the section (same codes, params and paths as its validator) for the fake backend.
import type { FieldError } from "./bindings/FieldError";
import type { HttpConfig } from "./bindings/HttpConfig";

/** The port Lookout's `/metrics` is known by. */
export const DEFAULT_HTTP_PORT = 9464;
/** What turning the endpoint on proposes: this computer only. */
export const DEFAULT_LISTEN = `127.0.0.1:${DEFAULT_HTTP_PORT}`;
/** The section as Lookout's default config has it: serving nothing. */
export const HTTP_OFF: HttpConfig = { listen: "", dashboard: false };

/** A listen address as Lookout reads it. */
export type ListenAddress = { ip: string; port: number; version: 4 | 6; loopback: boolean };

/** A decimal number of digits only, or null; `maxDigits` and leading zeros as Rust's parser takes them. */
function decimal(s: string, max: number, opts: { maxDigits?: number; zeroPrefix: boolean }): number | null {
  if (!/^[0-9]+$/.test(s)) return null;
  if (opts.maxDigits !== undefined && s.length > opts.maxDigits) return null;
  if (!opts.zeroPrefix && s.length > 1 && s.startsWith("0")) return null;
  const n = Number(s.replace(/^0+(?=.)/, ""));
  return n <= max ? n : null;
}

/** The four octets of a dotted IPv4 address ("127.0.0.1"), or null. */
function ipv4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => decimal(p, 255, { maxDigits: 3, zeroPrefix: false }));
  return octets.every((o) => o !== null) ? (octets as number[]) : null;
}

/** 16-bit groups of `pieces` (hex groups, the last one possibly dotted IPv4), or null. */
function groups(pieces: string[], last: boolean): number[] | null {
  const out: number[] = [];
  for (const [i, p] of pieces.entries()) {
    if (last && i === pieces.length - 1 && p.includes(".")) {
      const v4 = ipv4(p);
      if (!v4) return null;
      out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
    else return null;
  }
  return out;
}

/** The eight groups of an IPv6 address ("::1", "fe80::1", "::ffff:10.0.0.1"), or null. */
function ipv6(s: string): number[] | null {
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const split = (h: string) => (h === "" ? [] : h.split(":"));
  if (halves.length === 1) {
    const all = groups(split(s), true);
    return all && all.length === 8 ? all : null;
  }
  const head = groups(split(halves[0]), false);
  const tail = groups(split(halves[1]), true);
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/**
 * The address and port of `listen` (spaces around it ignored), or null when it is empty or
 * not one Lookout accepts: "127.0.0.1:9464", "[::1]:9464" and "0.0.0.0:9464" are; a host
 * name ("localhost:9464"), a missing port or one above 65535 are not.
 */
export function parseListen(listen: string): ListenAddress | null {
  const s = listen.trim();
  const colon = s.lastIndexOf(":");
  if (colon < 0) return null;
  const port = decimal(s.slice(colon + 1), 65_535, { zeroPrefix: true });
  if (port === null) return null;
  const host = s.slice(0, colon);
  if (host.startsWith("[") && host.endsWith("]")) {
    const [addr, scope, ...more] = host.slice(1, -1).split("%");
    if (more.length > 0 || (scope !== undefined && decimal(scope, 4_294_967_295, { zeroPrefix: true }) === null)) return null;
    const g = ipv6(addr);
    if (!g) return null;
    const loopback = g.slice(0, 7).every((x) => x === 0) && g[7] === 1;
    return { ip: host, port, version: 6, loopback };
  }
  const v4 = ipv4(host);
  return v4 ? { ip: host, port, version: 4, loopback: v4[0] === 127 } : null;
}

/** The address Prometheus scrapes, "http://127.0.0.1:9464/metrics"; null when `listen` is not valid. */
export function metricsUrl(listen: string): string | null {
  return parseListen(listen) ? `http://${listen.trim()}/metrics` : null;
}

/**
 * What Lookout finds wrong with `[http]`: a dashboard with nothing to serve it on
 * (http.dashboard.no_listen), or a listen address it cannot read (http.listen.invalid).
 */
export function httpProblems(http: HttpConfig): FieldError[] {
  const listen = http.listen.trim();
  if (listen === "")
    return http.dashboard
      ? [{
          path: ["http", "dashboard"], code: "http.dashboard.no_listen", params: {},
          message: `the dashboard needs an address to serve on; set http.listen, like "${DEFAULT_LISTEN}"`,
        }]
      : [];
  if (parseListen(listen)) return [];
  return [{
    path: ["http", "listen"], code: "http.listen.invalid", params: { value: listen },
    message: `'${listen}' is not an address and port; use one like "${DEFAULT_LISTEN}", "[::1]:${DEFAULT_HTTP_PORT}" or "0.0.0.0:${DEFAULT_HTTP_PORT}"`,
  }];
}
