# Lookout's entry points. The README's two commands are `make run` and `make test`;
# each first runs scripts/setup.sh, which installs only what is missing.
# An existing CARGO_TARGET_DIR is honoured: cargo and bench/overhead.sh read it.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
MAKEFLAGS += --no-print-directory

HAS_UI := $(wildcard ui/package.json)
OVERHEAD_SECS ?= 20

FMT_CHECK := cargo fmt --all -- --check
CLIPPY := cargo clippy --workspace --all-targets -- -D warnings
# Fuzz targets (proptest, stable Rust) and their case counts.
FUZZ_OPTIMISED := -p lookout-core -p lookout-monitor --test fuzz_config --test fuzz_template --test fuzz_series --test fuzz_smtp
FUZZ_SHORT := 100000
FUZZ_CASES ?= 10000000
# The IPC target saves configs through the real monitor: its temporary home goes on a tmpfs
# when there is one, where fsync costs nothing (on this disk it made the target 3.7× slower).
FUZZ_TMP := $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo $${TMPDIR:-/tmp})

# The window's files. Tauri embeds ui/dist and cargo rebuilds lookout-tray whenever ui/dist
# changes, so the UI is built only when one of its inputs is newer; a placeholder page (which
# build.rs writes when the UI was never built) always counts as out of date.
UI_INPUTS := $(shell find ui/src ui/public -type f 2>/dev/null) \
  $(wildcard ui/index.html ui/package.json ui/package-lock.json ui/vite.config.ts ui/svelte.config.js ui/tsconfig.json)
UI_PLACEHOLDER := $(shell grep -l 'has no window UI' ui/dist/index.html 2>/dev/null)

.PHONY: run test fuzz lint bench bench-ui overhead footprint package clean ui FORCE

## run: install the build set, build the UI (the tray app embeds ui/dist) and start Lookout
## in the tray. On a server without a desktop, run `cargo run --release -p lookout-cli -- run`.
run:
	scripts/setup.sh run
	$(MAKE) ui
	cargo run --release -p lookout-tray

## ui: build the window (ui/dist) if a UI source changed since the last build.
ui: ui/dist/index.html

ui/dist/index.html: $(UI_INPUTS) $(if $(UI_PLACEHOLDER),FORCE)
	cd ui && npm run build

## test: install the test peers, check formatting and lints, run every test.
## The Rust tests start their own peers (Xvfb, D-Bus, dunst, aiosmtpd, keyring) and stop them.
## The package test (scripts/test-deb.sh) runs last.
test:
	scripts/setup.sh test
	$(FMT_CHECK)
# The TypeScript types are generated from the Rust ones (ts-rs), and the fake backend's
# recorded answers by crates/lookout-monitor/tests/ui_fixtures.rs; a stale or uncommitted
# copy fails here.
	cargo test --quiet -p lookout-core -p lookout-monitor -- export_bindings export_ui_fixtures >/dev/null
	@generated="ui/src/lib/bindings ui/src/lib/backend/fixtures"; \
	if git rev-parse --git-dir >/dev/null 2>&1 && [ -n "$$(git status --porcelain -- $$generated)" ]; then \
	  echo "$$generated: out of date with the Rust side; commit the regenerated files"; \
	  git status --short -- $$generated; exit 1; fi
ifneq ($(HAS_UI),)
# Builds ui/dist (the tray app embeds it) and runs the UI's unit and browser tests.
	cd ui && npm test
endif
	$(CLIPPY)
	cargo test --workspace
# A short fuzzing run (100,000 cases per target); `make fuzz` runs long.
	LOOKOUT_FUZZ_CASES=$(FUZZ_SHORT) cargo test --profile fuzz $(FUZZ_OPTIMISED)
	TMPDIR=$(FUZZ_TMP) LOOKOUT_FUZZ_CASES=$(FUZZ_SHORT) cargo test -p lookout-tray --test fuzz_ipc
# The .deb, installed and removed for real: only as root (CI is), since it installs a package.
	@if [ "$$(id -u)" = 0 ]; then scripts/test-deb.sh; \
	else echo "test-deb: skipped: installing the package needs root (CI runs make test as root)"; fi

## package: the .deb (Tauri bundler): lookout-tray, the lookout CLI in /usr/bin, systemd user
## and system units. Install it with `sudo apt install ./<the path it prints>`.
package:
	scripts/setup.sh run
	scripts/package.sh

## fuzz: every fuzz target for FUZZ_CASES cases (default ten million each).
fuzz:
	scripts/setup.sh test
	LOOKOUT_FUZZ_CASES=$(FUZZ_CASES) cargo test --profile fuzz $(FUZZ_OPTIMISED)
	TMPDIR=$(FUZZ_TMP) LOOKOUT_FUZZ_CASES=$(FUZZ_CASES) cargo test --profile fuzz -p lookout-tray --test fuzz_ipc

## lint: formatting and clippy only.
lint:
	$(FMT_CHECK)
	$(CLIPPY)

## bench: criterion benches of every crate, then the side-by-side overhead benchmark.
bench:
	scripts/setup.sh run
	cargo bench --workspace --bench '*'
	bench/overhead.sh $(OVERHEAD_SECS)

## bench-ui: the window in headless Chromium: history charts drawn (24 h of 1 s readings and
## 30 days of rollups, 4 series), an hour of live ticks (JS heap growth, forced layouts), and
## the built UI's gzipped size.
bench-ui:
	scripts/setup.sh test
	$(MAKE) ui
	cd ui && node bench/run.mjs
# The same process-table read through psutil (the venv bench/overhead.sh made), per process.
	@venv=$${CARGO_TARGET_DIR:-target}/bench-venv; \
	if [ -x "$$venv/bin/python" ]; then "$$venv/bin/python" bench/process_scan.py; \
	else echo "process_scan: no psutil venv; run make overhead first"; fi

## overhead: lookout run vs the floor daemon (and the seed's psutil loop) over OVERHEAD_SECS.
overhead:
	scripts/setup.sh run
	bench/overhead.sh $(OVERHEAD_SECS)

## footprint: the tray app's idle CPU and memory, what opening and closing the window leaves
## behind, and its start time, in a private desktop session (FOOTPRINT_MINUTES, default 10).
footprint:
	scripts/setup.sh test
	$(MAKE) ui
	bench/tray-footprint.sh

## clean: remove build outputs (the whole cargo target dir, including bench binaries and venv).
clean:
	cargo clean
	rm -rf ui/dist
