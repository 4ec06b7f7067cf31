#!/usr/bin/env bash
# Benchmark: generate a synthetic IaC tree and time kijun on it (files/s, MB/s, wall time, peak
# memory). When `checkov` is on PATH (pip install checkov), run it on the same tree and print
# the ratio. Usage: scripts/bench.sh [SIZE_MB=20] [OUT_DIR=bench-out]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-20}
out=${2:-bench-out}
rm -rf "$out"
python3 scripts/gen_corpus.py "$out/tree" "$size"
cargo build --release --quiet
bin=target/release/kijun
files=$(find "$out/tree" -type f | wc -l)
bytes=$(find "$out/tree" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')

measure() { # label command... → prints wall seconds and peak RSS KiB
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$out/rss.txt" "$@" >/dev/null 2>"$out/stderr.txt" || true
  t1=$(date +%s.%N)
  local wall rss
  wall=$(echo "$t1 - $t0" | bc -l)
  rss=$(cat "$out/rss.txt" | tail -1)
  printf '%-28s %8.3f s  %10.1f files/s  %8.2f MB/s  peak %8.1f MiB\n' "$label" "$wall" \
    "$(echo "$files / $wall" | bc -l)" "$(echo "$bytes / 1000000 / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  echo "$wall" > "$out/last_wall.txt"
}

echo "tree: $files files, $(echo "$bytes / 1048576" | bc -l | cut -c1-6) MiB, $(nproc) cores"
measure "kijun (all cores)" "$bin" check "$out/tree" --format json
kwall=$(cat "$out/last_wall.txt")
RAYON_NUM_THREADS=1 measure "kijun (1 thread)" "$bin" check "$out/tree" --format json
one=$(find "$out/tree/envs" -name main.tf | head -1)
measure "kijun (one file)" "$bin" check "$one" --format json
if command -v checkov >/dev/null 2>&1; then
  measure "checkov" checkov -d "$out/tree" --framework terraform --quiet --compact -o json
  cwall=$(cat "$out/last_wall.txt")
  printf 'kijun is %.1fx faster than checkov on this tree\n' "$(echo "$cwall / $kwall" | bc -l)"
else
  echo "checkov not installed (pip install checkov) — skipping the comparison"
fi
