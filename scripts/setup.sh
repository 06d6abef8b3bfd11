#!/usr/bin/env bash
# Installs what Lookout needs on Debian 12: `setup.sh run` for building and running the app,
# `setup.sh test` for that plus the real peers the tests start (Xvfb, dunst, aiosmtpd, ...).
# Idempotent: when everything is present it only checks, and finishes in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-test}
case "$mode" in
  run | test) ;;
  *) echo "usage: scripts/setup.sh [run|test]" >&2; exit 2 ;;
esac

say() { printf 'setup: %s\n' "$*"; }

# What the Tauri app needs to build and run (the headless CLI needs only a subset).
run_packages=(
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev
  libssl-dev pkg-config build-essential curl file
)
# The real peers the tests start themselves: display, session bus, notification daemon,
# keyring, SMTP server, certificates, WebDriver, browser, tray host, screenshots, CJK font,
# X11 from Python (the tray footprint benchmark closes the window as a window manager does),
# Apprise (the apprise channel hands messages to it), Prometheus and Alertmanager (the
# exported rules, the /metrics scrape and the alertmanager channel meet the real ones), and
# systemd's tools (the package test verifies the units and makes the service's user).
test_packages=(
  xvfb dbus-x11 dunst libnotify-bin gnome-keyring libsecret-tools keyutils
  python3-aiosmtpd openssl webkit2gtk-driver chromium haskell-gtk-sni-tray-utils
  imagemagick fonts-noto-cjk python3-xlib apprise prometheus prometheus-alertmanager systemd
)

packages=("${run_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")

# Debian packages: one dpkg-query for all of them; only a package whose status is
# "install ok installed" counts (a removed package can leave its config files behind).
missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  say "Debian packages for '$mode' present (${#packages[@]})"
else
  say "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
  else
    echo "setup: need root to install ${missing[*]}; run as root or install sudo" >&2
    exit 1
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Rust: cargo must exist; fmt and clippy are needed by `make test`.
if ! command -v cargo >/dev/null; then
  echo "setup: cargo not found; install Rust from https://rustup.rs and open a new shell" >&2
  exit 1
fi
if [ "$mode" = test ]; then
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    if command -v rustup >/dev/null; then
      say "adding Rust components rustfmt and clippy"
      rustup component add rustfmt clippy
    else
      echo "setup: cargo fmt / cargo clippy missing and no rustup to add them" >&2
      exit 1
    fi
  fi
fi

# The UI (ui/, a later addition): install its locked dependencies unless node_modules is
# already newer than the lock file (npm writes node_modules/.package-lock.json on install).
if [ -f ui/package.json ]; then
  if ! command -v npm >/dev/null; then
    echo "setup: npm not found; install Node.js (with npm) to build the UI in ui/" >&2
    exit 1
  fi
  stamp=ui/node_modules/.package-lock.json
  if [ -f "$stamp" ] && [ "$stamp" -nt ui/package.json ] \
    && { [ ! -f ui/package-lock.json ] || [ "$stamp" -nt ui/package-lock.json ]; }; then
    say "ui/node_modules up to date"
  else
    say "npm ci in ui/"
    (cd ui && npm ci --no-audit --no-fund)
  fi
fi

# End-to-end tests of the tray app (src-tauri/, a later addition) drive it with tauri-driver.
if [ "$mode" = test ] && [ -d src-tauri ]; then
  if command -v tauri-driver >/dev/null; then
    say "tauri-driver present"
  else
    say "cargo install tauri-driver"
    cargo install --locked tauri-driver
  fi
fi

say "ready for '$mode'"
