#!/usr/bin/env bash
# Side-by-side overhead benchmark: `lookout run` at a 100 ms tick with rules on cpu.total,
# mem.used_pct and disk./.used_pct, against the physical floor (floor_daemon 100) and, when
# psutil can be installed, the seed's psutil loop, all measured in one run by
# ../shared/bench/overhead.py. Usage: bench/overhead.sh [SECONDS]   (default 20)
set -euo pipefail

secs=${1:-20}
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"

# The reference peers live in ../shared/bench/ next to the repository root (for a git
# worktree, next to the main checkout); BENCH_PEERS=DIR points elsewhere.
main_root=$(dirname "$(git rev-parse --path-format=absolute --git-common-dir)")
if [ -n "${BENCH_PEERS:-}" ]; then
  candidates=("$BENCH_PEERS")
else
  candidates=("$root/../shared/bench" "$main_root/../shared/bench")
fi
shared=
for dir in "${candidates[@]}"; do
  if [ -f "$dir/floor_daemon.c" ] && [ -f "$dir/overhead.py" ] && [ -f "$dir/seed_daemon.py" ]; then
    shared=$(cd "$dir" && pwd)
    break
  fi
done
if [ -z "$shared" ]; then
  echo "overhead: reference peers not found: expected floor_daemon.c, overhead.py and" \
    "seed_daemon.py in ${candidates[0]}/ (or set BENCH_PEERS=DIR)" >&2
  exit 1
fi

target=${CARGO_TARGET_DIR:-target}
mkdir -p "$target/bench"
target=$(cd "$target" && pwd)

echo "overhead: building floor_daemon"
cc -O2 -o "$target/bench/floor_daemon" "$shared/floor_daemon.c"

echo "overhead: building lookout (release)"
cargo build --release --quiet -p lookout-cli
lookout=$target/release/lookout

# A private config and data dir, so the benchmark never touches the user's own.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/data" "$work/config" "$work/state"
export XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
config=$work/bench.toml
cat >"$config" <<'EOF'
# Overhead benchmark: the floor daemon's metrics at its 100 ms interval; no delivery.
version = 1

[sampling]
interval = "100ms"

[desktop]
enabled = false

[email]
enabled = false

[[rules]]
name = "CPU busy"
metric = "cpu.total"
aggregate = "avg"
window = "1m"
op = ">"
threshold = 90
severity = "warning"

[[rules]]
name = "Memory almost full"
metric = "mem.used_pct"
aggregate = "all"
window = "1m"
op = ">"
threshold = 90
severity = "critical"

[[rules]]
name = "Root disk almost full"
metric = "disk./.used_pct"
aggregate = "max"
window = "1m"
op = ">"
threshold = 90
severity = "warning"
EOF

peers=(
  "floor=$(printf '%q ' "$target/bench/floor_daemon" 100)"
  "lookout=$(printf '%q ' "$lookout" run --config "$config")"
)

# The seed's psutil loop, in a venv of its own; optional.
venv=$target/bench-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import psutil' 2>/dev/null; then
  echo "overhead: installing psutil into $venv"
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet psutil; } >"$work/pip.log" 2>&1; then
    echo "overhead: psutil could not be installed (see below); measuring without the seed loop"
    tail -n 3 "$work/pip.log" | sed 's/^/  /'
  fi
fi
if "$venv/bin/python" -c 'import psutil' 2>/dev/null; then
  peers+=("seed=$(printf '%q ' "$venv/bin/python" "$shared/seed_daemon.py" 0.1)")
fi

echo "overhead: measuring for ${secs}s (plus 3 s warm-up)"
python3 "$shared/overhead.py" "$secs" "${peers[@]}" | tee "$work/result.txt"

# A peer that exited early was not measured: show why lookout stopped, and fail.
if grep -q 'EXITED EARLY' "$work/result.txt"; then
  echo "overhead: a peer exited early; lookout's own output for this config:" >&2
  timeout 2 "$lookout" run --config "$config" 2>&1 | tail -n 5 | sed 's/^/  /' >&2 || true
  exit 1
fi
