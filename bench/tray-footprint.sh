#!/usr/bin/env bash
# Footprint of the tray app (release build) in a private desktop session: Xvfb, a private
# session bus, a real tray host (gtk-sni-tray-standalone), dunst and an unlocked gnome-keyring,
# with a temporary HOME and the default config (1 s tick, default rules) plus two app watches.
# Measures, through bench/tray_footprint.py: CPU over FOOTPRINT_CPU_SECS with the window never
# opened, Pss_Anon FOOTPRINT_MINUTES after the start, what is left after opening and closing
# the window, and the time from launch to the tray item over FOOTPRINT_STARTS runs.
# Usage: bench/tray-footprint.sh   (FOOTPRINT_MINUTES=10, FOOTPRINT_CPU_SECS=60, FOOTPRINT_STARTS=5)
set -euo pipefail

minutes=${FOOTPRINT_MINUTES:-10}
cpu_secs=${FOOTPRINT_CPU_SECS:-60}
starts=${FOOTPRINT_STARTS:-5}
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"

for tool in Xvfb dbus-daemon dbus-send gtk-sni-tray-standalone dunst gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "footprint: $tool is missing; run scripts/setup.sh test" >&2; exit 1; }
done
/usr/bin/python3 -c 'import Xlib' 2>/dev/null \
  || { echo "footprint: python3-xlib is missing; run scripts/setup.sh test" >&2; exit 1; }

if [ ! -f ui/dist/index.html ]; then
  echo "footprint: building the UI"
  (cd ui && npm run build >/dev/null)
fi
echo "footprint: building lookout-tray (release)"
cargo build --release --quiet -p lookout-tray
target=${CARGO_TARGET_DIR:-target}
binary=$(cd "$target/release" && pwd)/lookout-tray

# The session: everything in one temp dir, every peer stopped by its PID on exit.
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home" "$work/runtime" "$work/bus"
chmod 700 "$work/runtime"
export HOME=$work/home XDG_RUNTIME_DIR=$work/runtime NO_AT_BRIDGE=1 LANG=C.UTF-8
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_STATE_HOME WAYLAND_DISPLAY
export LOOKOUT_CONFIG=$work/config.toml LOOKOUT_DATA_DIR=$work/data
export FOOTPRINT_LOG=$work/lookout-tray.log

# The default config (1 s tick, default rules) plus two app watches with a rule each, so the
# process table is read every process_interval (5 s) as it is for a user who watches apps.
cp crates/lookout-core/default-config.toml "$LOOKOUT_CONFIG"
cat >>"$LOOKOUT_CONFIG" <<'WATCHES'

[[apps]]
name = "dunst"
match = { process = "dunst" }

[[apps]]
name = "xvfb"
match = { process = "Xvfb" }

[[rules]]
name = "dunst down"
metric = "app.dunst.running"
aggregate = "max"
window = "10s"
op = "<"
threshold = 1
for = "1m"

[[rules]]
name = "Xvfb busy"
metric = "app.xvfb.cpu_pct"
window = "5m"
op = ">"
threshold = 50
WATCHES

# A private bus with no service activation: only what is started here is on it.
cat >"$work/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=$work/bus</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
<allow own="*"/></policy></busconfig>
CONF
bus=$(dbus-daemon --config-file="$work/bus.conf" --fork --print-address=1 --print-pid=1)
export DBUS_SESSION_BUS_ADDRESS=$(sed -n 1p <<<"$bus")
pids+=("$(sed -n 2p <<<"$bus")")

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>/dev/null &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || { echo "footprint: Xvfb did not start" >&2; exit 1; }
export DISPLAY=:$(cat "$work/display")

has_owner() {
  dbus-send --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null | grep -q 'boolean true'
}
wait_owner() {
  for _ in $(seq 200); do has_owner "$1" && return 0; sleep 0.1; done
  echo "footprint: nothing owns $1 on the private bus" >&2
  exit 1
}
printf 'footprint' | env -u DISPLAY gnome-keyring-daemon --foreground --unlock --components=secrets \
  >/dev/null 2>&1 &
pids+=($!)
wait_owner org.freedesktop.secrets
gtk-sni-tray-standalone --watcher --bottom --size 40 >/dev/null 2>&1 &
pids+=($!)
wait_owner org.kde.StatusNotifierWatcher
dunst >/dev/null 2>&1 &
pids+=($!)
wait_owner org.freedesktop.Notifications

echo "footprint: session ready on $DISPLAY; lookout-tray log in $FOOTPRINT_LOG while it runs"
if ! /usr/bin/python3 bench/tray_footprint.py "$binary" "$minutes" "$cpu_secs" "$starts"; then
  echo "footprint: failed; the app's log:" >&2
  tail -n 30 "$FOOTPRINT_LOG" >&2 || true
  exit 1
fi
