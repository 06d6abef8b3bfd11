// The fake backend's own process table: made up here, not recorded (a recording of a real
// machine's processes would leak it). It answers list_processes, and the figures of the
// fake's app watches come from it: a watch counts the processes its match selects (process,
// exe, cmdline as a JavaScript regular expression, user; the fake knows no systemd units)
// and sums their CPU and memory, wobbling a little from tick to tick. Children, threads,
// open files and I/O are not modelled, so those figures are absent, as unreadable ones are.
import type { AppConfig } from "../bindings/AppConfig";
import type { AppMatch } from "../bindings/AppMatch";
import type { ProcessEntry } from "../bindings/ProcessEntry";
import type { Snapshot } from "../bindings/Snapshot";

const MiB = 1024 * 1024;
const PG = "/usr/lib/postgresql/15/bin/postgres";
const FIREFOX = "/usr/lib/firefox-esr/firefox-esr";
const CODE = "/usr/share/code/code";

const entry = (
  pid: number, name: string, exe: string | null, cmdline: string, user: string | null, cpu_pct: number, rss_mib: number,
): ProcessEntry => ({ pid, name, exe, cmdline, user, cpu_pct, rss_bytes: Math.round(rss_mib * MiB) });

/**
 * About fifteen processes of a developer's desktop. Postgres runs as another user, so its
 * executable is unreadable (null) and the picker groups it by name; Firefox's content
 * processes have their own names but share one executable.
 */
export const FAKE_PROCESSES: readonly ProcessEntry[] = [
  entry(2210, "firefox-esr", FIREFOX, FIREFOX, "dev", 6.4, 612),
  entry(2391, "Isolated Web Co", FIREFOX, `${FIREFOX} -contentproc -childID 4 -isForBrowser 2210 tab`, "dev", 3.1, 388),
  entry(2405, "Isolated Web Co", FIREFOX, `${FIREFOX} -contentproc -childID 7 -isForBrowser 2210 tab`, "dev", 1.2, 241),
  entry(3377, "java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "java -Xmx4g -jar build-server.jar", "dev", 2.7, 1210),
  entry(1688, "gnome-shell", "/usr/bin/gnome-shell", "/usr/bin/gnome-shell", "dev", 2.2, 284),
  entry(4120, "code", CODE, `${CODE} --unity-launch`, "dev", 1.6, 455),
  entry(4188, "code", CODE, `${CODE} --type=renderer --lang=en-US`, "dev", 0.9, 317),
  entry(1203, "Xorg", null, "/usr/lib/xorg/Xorg vt2 -displayfd 3 -auth /run/user/1000/gdm/Xauthority", "root", 0.8, 96),
  entry(901, "postgres", null, `${PG} -D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf`, "postgres", 0.6, 31),
  entry(958, "postgres", null, "postgres: 15/main: walwriter", "postgres", 0.3, 12),
  entry(957, "postgres", null, "postgres: 15/main: checkpointer", "postgres", 0.1, 22),
  entry(5512, "postgres", null, "postgres: 15/main: dev app 127.0.0.1(51234) idle", "postgres", 0.1, 18),
  entry(1502, "lookout-tray", "/usr/bin/lookout-tray", "/usr/bin/lookout-tray", "dev", 0.2, 38),
  entry(733, "sshd", null, "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups", "root", 0, 9),
  entry(1, "systemd", null, "/sbin/init splash", "root", 0, 13),
];

/** The fake's process table, busiest first (then largest), as Lookout lists it. */
export function fakeProcessList(): ProcessEntry[] {
  return FAKE_PROCESSES.map((p) => ({ ...p })).sort((a, b) => b.cpu_pct - a.cpu_pct || b.rss_bytes - a.rss_bytes);
}

function search(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

/** Whether a process is one of a watch's: every criterion given holds. */
export function matchesApp(p: ProcessEntry, m: AppMatch): boolean {
  const given = (["process", "exe", "cmdline", "unit", "user"] as const).filter((k) => m[k] != null);
  if (given.length === 0) return false;
  return given.every((k) => {
    const v = m[k] as string;
    switch (k) {
      case "process":
        return p.name === v;
      case "exe":
        return p.exe === v;
      case "cmdline":
        return search(v, p.cmdline);
      case "user":
        return p.user === v;
      default:
        return false;
    }
  });
}

/**
 * The `app.<name>.*` readings of each watch for tick number `step`, given the tick's other
 * readings (memory in bytes and percent give the machine's total for mem_pct).
 */
export function appReadings(apps: readonly AppConfig[], values: Snapshot, step: number, uptimeS: number): Snapshot {
  const out: Snapshot = {};
  const used = values["mem.used_bytes"];
  const pct = values["mem.used_pct"];
  const total = used > 0 && pct > 0 ? used / (pct / 100) : null;
  const wobble = 0.8 + 0.4 * (((step * 37) % 11) / 10);
  for (const app of apps) {
    const procs = FAKE_PROCESSES.filter((p) => matchesApp(p, app.match));
    const key = (field: string) => `app.${app.name}.${field}`;
    out[key("running")] = procs.length;
    out[key("restarts")] = 0;
    if (procs.length === 0) continue;
    const rss = procs.reduce((s, p) => s + p.rss_bytes, 0);
    out[key("cpu_pct")] = procs.reduce((s, p) => s + p.cpu_pct, 0) * wobble;
    out[key("rss_bytes")] = rss;
    if (total !== null) out[key("mem_pct")] = (rss / total) * 100;
    out[key("uptime_s")] = uptimeS;
  }
  return out;
}
