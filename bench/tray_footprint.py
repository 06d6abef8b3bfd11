#!/usr/bin/python3
"""Footprint of lookout-tray in a desktop session that bench/tray-footprint.sh has set up.

usage: tray_footprint.py BINARY MINUTES CPU_SECONDS STARTS

Runs in the session's environment (DISPLAY, DBUS_SESSION_BUS_ADDRESS, HOME, LOOKOUT_*):
1. starts BINARY (window never opened), measures its process tree's CPU time over CPU_SECONDS
   (schedstat, ns resolution) and its anonymous memory (Pss_Anon, smaps_rollup) MINUTES after
   the start;
2. opens the window by launching BINARY --open a second time (single instance hands it over),
   waits for the page, closes it the way a window manager does (WM_DELETE_WINDOW), and checks
   that no WebKit process remains and how far memory came back;
3. quits it, then times STARTS cold starts: launch until the tray host lists the item in
   RegisteredStatusNotifierItems.
Prints one table. Needs /usr/bin/python3 with python3-xlib (Debian), for tests/rig/x11_window.py.
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "rig"))
from x11_window import windows  # noqa: E402  (tests/rig, shared with the end-to-end tests)

WATCHER = "org.kde.StatusNotifierWatcher"
TIMEOUT = 60.0  # seconds for anything to happen before the benchmark gives up


def tree(pid):
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def cpu_ns(pid):
    total = 0
    for p in tree(pid):
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/schedstat") as f:
                    total += int(f.read().split()[0])
        except OSError:
            pass
    return total


def pss_anon_kib(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss_Anon:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def exe_name(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return os.path.basename(f.read().split(b"\0")[0].decode(errors="replace"))
    except OSError:
        return ""


def webkit_children(pid):
    return [(p, exe_name(p)) for p in tree(pid)[1:] if "WebKit" in exe_name(p)]


def wait_for(what, probe, timeout=TIMEOUT, step=0.05):
    end = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > end:
            sys.exit(f"footprint: {what} did not happen within {timeout:.0f} s")
        time.sleep(step)


def registered_items():
    out = subprocess.run(
        ["dbus-send", "--print-reply", f"--dest={WATCHER}", "/StatusNotifierWatcher",
         "org.freedesktop.DBus.Properties.Get", f"string:{WATCHER}",
         "string:RegisteredStatusNotifierItems"],
        capture_output=True, text=True)
    if out.returncode != 0:
        return []
    return [s for s in out.stdout.split('"') if s.startswith(":")]


def start(binary, log, *args):
    return subprocess.Popen([binary, *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=log)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        sys.exit("footprint: lookout-tray did not stop within a minute of SIGTERM")
    wait_for("the tray item to leave the tray host", lambda: not registered_items())


def first_chart_lines():
    """The tray log's lines timing the window's first chart (see window::on_first_chart)."""
    path = os.path.join(os.environ["HOME"], ".local/state/lookout/lookout.log")
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return [line for line in f if "window: first chart drawn" in line]
    except FileNotFoundError:
        return []


def first_chart_ms(index):
    """The milliseconds the index-th first-chart line reports."""
    lines = first_chart_lines()
    if len(lines) <= index:
        sys.exit(f"footprint: the window never reported its first chart ({len(lines)} reports)")
    match = re.search(r"first chart drawn (\d+) ms", lines[index])
    if not match:
        sys.exit(f"footprint: cannot read the first chart's time in: {lines[index]!r}")
    page = re.search(r"page_ms=(\d+)", lines[index])
    PAGE_MS.append(float(page.group(1)) if page else float("nan"))
    return float(match.group(1))


# What the page itself reported of each first chart (ms from its navigation start).
PAGE_MS = []


def mib(kib):
    return kib / 1024


def main():
    binary, minutes, cpu_secs, starts = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    log = open(os.environ.get("FOOTPRINT_LOG", os.devnull), "ab")
    rows = []

    # 1. Idle in the tray.
    t0 = time.monotonic()
    app = start(binary, log)
    wait_for("the tray item", registered_items, step=0.01)
    time.sleep(5)  # warm-up: first ticks, first writes
    print(f"footprint: measuring CPU over {cpu_secs:.0f} s", flush=True)
    c0, w0 = cpu_ns(app.pid), time.monotonic()
    time.sleep(cpu_secs)
    c1, w1 = cpu_ns(app.pid), time.monotonic()
    cpu_pct = (c1 - c0) / ((w1 - w0) * 1e9) * 100
    rows.append(("CPU, idle in the tray, 1 s tick", f"{cpu_pct:.3f} % of a core over {w1 - w0:.0f} s",
                 "<= 0.05 %", cpu_pct <= 0.05))
    remaining = t0 + minutes * 60 - time.monotonic()
    if remaining > 0:
        print(f"footprint: waiting {remaining:.0f} s more, until {minutes:g} min after the start", flush=True)
        time.sleep(remaining)
    if app.poll() is not None:
        sys.exit(f"footprint: lookout-tray exited early with {app.returncode}")
    idle = pss_anon_kib(tree(app.pid))
    rows.append((f"Pss_Anon after {minutes:g} min, window never opened", f"{mib(idle):.1f} MiB",
                 "<= 25 MiB", mib(idle) <= 25))

    # 2. Open the window (a second launch hands it over), then close it.
    print("footprint: opening and closing the window", flush=True)
    second = start(binary, log, "--open")
    if second.wait(timeout=TIMEOUT) != 0:
        sys.exit(f"footprint: the second launch exited with {second.returncode}")
    wait_for("a WebKit web process", lambda: any(n == "WebKitWebProcess" for _, n in webkit_children(app.pid)))
    wait_for("the window on the X screen", lambda: windows("Lookout"))
    time.sleep(10)  # the page loads and streams a few ticks
    opened = pss_anon_kib(tree(app.pid))
    opened_main = pss_anon_kib([app.pid])
    windows("Lookout", close=True)
    wait_for("the web process to exit",
             lambda: not any(n == "WebKitWebProcess" for _, n in webkit_children(app.pid)))
    time.sleep(10)  # let the app settle after the window is gone
    left = webkit_children(app.pid)
    after = pss_anon_kib(tree(app.pid))
    after_main = pss_anon_kib([app.pid])
    rows.append(("Pss_Anon with the window open (whole tree)", f"{mib(opened):.1f} MiB "
                 f"(lookout-tray itself {mib(opened_main):.1f})", "", None))
    rows.append(("WebKit processes after closing", ", ".join(f"{n} ({p})" for p, n in left) or "none",
                 "none", not left))
    rows.append(("Pss_Anon after closing (whole tree)", f"{mib(after):.1f} MiB, {mib(after - idle):+.1f} "
                 f"(lookout-tray itself {mib(after_main):.1f})", "within 10 MiB of before",
                 abs(mib(after - idle)) <= 10))
    # 2b. Window open to first chart: twice more, each time from the launch that asks for it.
    firsts = [first_chart_ms(0)]
    for _ in range(2):
        seen = len(first_chart_lines())
        again = start(binary, log, "--open")
        again.wait(timeout=TIMEOUT)
        wait_for("the first chart", lambda: len(first_chart_lines()) > seen)
        firsts.append(first_chart_ms(seen))
        windows("Lookout", close=True)
        wait_for("the web process to exit",
                 lambda: not any(n == "WebKitWebProcess" for _, n in webkit_children(app.pid)))
    med = statistics.median(firsts)
    rows.append(("Window open to first chart, 3 opens", f"median {med:.0f} ms ({', '.join(f'{f:.0f}' for f in firsts)}; "
                 f"the page's own part {', '.join(f'{p:.0f}' for p in PAGE_MS)})",
                 "<= 500 ms", med <= 500))
    stop(app)

    # 3. Cold start to tray.
    times = []
    for i in range(starts):
        t = time.monotonic()
        proc = start(binary, log)
        wait_for("the tray item", registered_items, step=0.005)
        times.append((time.monotonic() - t) * 1000)
        stop(proc)
    med = statistics.median(times)
    rows.append((f"Start to tray item, {starts} runs", f"median {med:.0f} ms (min {min(times):.0f}, "
                 f"max {max(times):.0f})", "<= 500 ms", med <= 500))

    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print()
    print(f"{'measure':<{width}}  {'value':<{vwidth}}  target")
    for name, value, target, ok in rows:
        verdict = "" if ok is None else ("  ok" if ok else "  OVER")
        print(f"{name:<{width}}  {value:<{vwidth}}  {target}{verdict}")


if __name__ == "__main__":
    main()
