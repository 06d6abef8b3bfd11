#!/usr/bin/env bash
# The package test (`make test` runs it as root on a disposable machine): builds the .deb of
# the debug builds with the Tauri bundler, installs it with dpkg -i (and apt-get -f install for
# what it depends on), then checks that `lookout --version` works, that lookout-tray starts
# from /usr/bin under Xvfb and shows its state through `lookout status`, that
# `systemd-analyze verify` passes on both units, and that `dpkg -r` leaves the user's config
# and data. Any failed check ends it with the reason and exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "test-deb: FAILED: $*" >&2; exit 1; }
step() { echo "test-deb: $*"; }

[ "$(id -u)" = 0 ] || fail "must run as root (it installs the package); CI runs make test as root"
deb=$(scripts/package.sh --debug | tail -n 1)
[ -f "$deb" ] || fail "no .deb was built"
step "built $deb"
listing=$(dpkg-deb -c "$deb")

grep -Eq ' (\./)?usr/bin/lookout$' <<<"$listing" || fail "the CLI is not in /usr/bin"
grep -Eq ' (\./)?usr/bin/lookout-tray$' <<<"$listing" || fail "lookout-tray is not in /usr/bin"
grep -Eq ' (\./)?usr/share/applications/Lookout.desktop$' <<<"$listing" || fail "no desktop entry"
depends=$(dpkg-deb -f "$deb" Depends)
for d in libwebkit2gtk-4.1-0 libgtk-3-0 libayatana-appindicator3-1; do
  [[ $depends == *"$d"* ]] || fail "Depends lacks $d: $depends"
done

dpkg -r lookout >/dev/null 2>&1 || true
dpkg -i "$deb" >/dev/null 2>&1 || apt-get -f install -y -qq >/dev/null
dpkg -s lookout 2>/dev/null | grep -q '^Status: install ok installed' || fail "the package is not installed"
step "installed"

# Every library the two programs load must come from a package the .deb depends on (directly
# or through those packages' own dependencies) or from one every Debian system has, so that
# `apt install ./lookout_*.deb` pulls all of it on a clean Debian 12.
read -ra wanted <<<"$(tr ',' ' ' <<<"$depends")"
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${wanted[@]}" | grep -v '^ ' | sed 's/:.*$//' | sort -u)
base=$(dpkg-query -Wf '${Package} ${Essential} ${Priority}\n' | awk '$2 == "yes" || $3 == "required" {print $1}')
unpulled=()
for lib in $(ldd /usr/bin/lookout /usr/bin/lookout-tray | awk '/=> \//{print $3}' | sort -u); do
  owner=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null || true)
  pkg=${owner%%:*}
  [ -n "$pkg" ] || fail "no package provides $lib"
  grep -qx "$pkg" <<<"$closure" || grep -qx "$pkg" <<<"$base" || unpulled+=("$pkg ($lib)")
done
[ ${#unpulled[@]} -eq 0 ] || fail "libraries from packages the .deb does not pull: ${unpulled[*]}"
step "every library it loads comes with its dependencies"

version=$(/usr/bin/lookout --version) || fail "lookout --version failed"
[[ $version == "lookout "* ]] || fail "lookout --version said: $version"
step "$version"
getent passwd lookout >/dev/null || fail "the system service's user 'lookout' was not made"

systemd-analyze verify /usr/lib/systemd/system/lookout.service || fail "systemd-analyze verify (system unit)"
systemd-analyze --user verify /usr/lib/systemd/user/lookout.service 2>/dev/null \
  || systemd-analyze verify /usr/lib/systemd/user/lookout.service \
  || fail "systemd-analyze verify (user unit)"
step "systemd-analyze verify passes on both units"

home=$(mktemp -d)
trap 'pkill -f "^/usr/bin/lookout-tray" 2>/dev/null || true; rm -rf "$home"' EXIT
export HOME=$home
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_STATE_HOME LOOKOUT_CONFIG LOOKOUT_DATA_DIR
xvfb-run -a dbus-run-session -- bash -c '
  /usr/bin/lookout-tray >"$HOME/tray.log" 2>&1 &
  tray=$!
  for _ in $(seq 1 120); do
    if /usr/bin/lookout status --json 2>/dev/null | grep -q "\"running\":true"; then break; fi
    sleep 0.5
  done
  /usr/bin/lookout status >"$HOME/status.txt" 2>&1 || true
  /usr/bin/lookout status --json >"$HOME/status.json" 2>/dev/null || true
  kill -TERM "$tray"; wait "$tray" || true
'
grep -q '"running":true' "$home/status.json" \
  || fail "lookout status did not see lookout-tray running: $(cat "$home/status.txt"; tail -20 "$home/tray.log")"
step "lookout-tray ran from /usr/bin; lookout status: $(head -n 1 "$home/status.txt")"
[ -f "$home/.config/lookout/config.toml" ] || fail "the tray wrote no default config"
[ -f "$home/.local/share/lookout/lookout.db" ] || fail "the tray made no database"

dpkg -r lookout >/dev/null
[ ! -e /usr/bin/lookout ] || fail "dpkg -r left /usr/bin/lookout"
[ -f "$home/.config/lookout/config.toml" ] || fail "dpkg -r removed the user's config"
[ -f "$home/.local/share/lookout/lookout.db" ] || fail "dpkg -r removed the user's data"
step "dpkg -r removed the package and left the user's config and data"
echo "test-deb: ok"
