#!/usr/bin/env bash
# Builds Lookout's .deb with the Tauri bundler (@tauri-apps/cli from ui/): lookout-tray with
# its desktop entry and icons, the `lookout` CLI in /usr/bin, and systemd user and system
# units (packaging/). Prints the path of the .deb. `--debug` packs debug builds (the tests
# install that one; `make package` builds the release one).
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
cargo_flags=(--release)
tauri_flags=(--bundles deb --ci)
if [ "${1:-}" = "--debug" ]; then
  profile=debug
  cargo_flags=()
  tauri_flags+=(--debug)
fi
target=${CARGO_TARGET_DIR:-$PWD/target}

[ -x ui/node_modules/.bin/tauri ] || (cd ui && npm ci)
make ui >&2
cargo build "${cargo_flags[@]}" -p lookout-cli >&2
mkdir -p packaging/staging
install -m 0755 "$target/$profile/lookout" packaging/staging/lookout
ui/node_modules/.bin/tauri build "${tauri_flags[@]}" >&2
ls -t "$target/$profile/bundle/deb/"*.deb | head -n 1
