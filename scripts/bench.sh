#!/usr/bin/env bash
# Benchmark (not a timed test): generate a synthetic mixed IaC tree (Terraform, Kubernetes,
# CloudFormation YAML/JSON, ARM) and time kijun on it: files/s, MB/s, wall time and peak RSS,
# with all cores, with one thread, and on one file (process start to exit). When `checkov` is on
# PATH (pip install checkov), both tools scan a second, smaller tree (Checkov is slow) and the
# ratio is printed. Results and the exact commands are written up in docs/performance.md.
#
# Usage: scripts/bench.sh [SIZE_MB=20] [OUT_DIR=bench-out] [CHECKOV_MB=3]
# Environment: KIJUN_BIN=path (skip the build and time this binary), MIX=mixed|terraform,
#              REAL=dir (also time kijun on every directory below dir, e.g. fetched repositories),
#              CHECKOV=0 (skip the Checkov comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-20}
out=${2:-bench-out}
cmb=${3:-3}
mix=${MIX:-mixed}
rm -rf "$out"
mkdir -p "$out"
python3 scripts/gen_corpus.py "$out/tree" "$size" 1 "$mix"
if [ -n "${KIJUN_BIN:-}" ]; then
  bin=$KIJUN_BIN
else
  cargo build --release --quiet
  bin=${CARGO_TARGET_DIR:-target}/release/kijun
fi

tree_stats() { # dir → "files bytes"
  find "$1" -type f \( -name '*.tf' -o -name '*.tfvars' -o -name '*.json' -o -name '*.yaml' \
    -o -name '*.yml' \) -printf '%s\n' | awk '{n++; s+=$1} END {print n, s}'
}

measure() { # label files bytes command... → one line: wall, files/s, MB/s, peak RSS
  local label=$1 files=$2 bytes=$3; shift 3
  local t0 t1 wall rss
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$out/rss.txt" "$@" >"$out/stdout.txt" 2>"$out/stderr.txt" || true
  t1=$(date +%s.%N)
  wall=$(echo "$t1 - $t0" | bc -l)
  rss=$(tail -1 "$out/rss.txt")
  printf '%-34s %8.3f s %10.1f files/s %8.2f MB/s  peak %8.1f MiB (%.1fx input)\n' "$label" "$wall" \
    "$(echo "$files / $wall" | bc -l)" "$(echo "$bytes / 1000000 / $wall" | bc -l)" \
    "$(echo "$rss / 1024" | bc -l)" "$(echo "$rss * 1024 / $bytes" | bc -l)"
  echo "$wall" >"$out/last_wall.txt"
}

read -r files bytes < <(tree_stats "$out/tree")
echo "kijun $("$bin" --version | awk '{print $2}'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "tree ($mix): $files files, $(echo "scale=1; $bytes / 1000000" | bc) MB"
"$bin" check "$out/tree" --format json >/dev/null 2>&1 || true # warm the page cache
measure "kijun (all cores)" "$files" "$bytes" "$bin" check "$out/tree" --format json
RAYON_NUM_THREADS=1 measure "kijun (1 thread)" "$files" "$bytes" "$bin" check "$out/tree" --format json
measure "kijun (all cores, text)" "$files" "$bytes" "$bin" check "$out/tree" --format text

# One file, process start to exit: the median of 21 runs (a pre-commit hook's case).
one="$out/tree/envs/env00000/main.tf"
for _ in $(seq 21); do
  t0=$(date +%s%N)
  "$bin" check "$one" --format json >/dev/null 2>&1 || true
  echo $(( ($(date +%s%N) - t0) / 1000 ))
done | sort -n | awk '{a[NR]=$1} END {printf "kijun (one file, median of %d)      %8.1f ms\n", NR, a[int((NR+1)/2)]/1000}'

if [ -n "${REAL:-}" ]; then
  for d in "$REAL"/*/; do
    read -r f b < <(tree_stats "$d")
    "$bin" check "$d" --format json >/dev/null 2>&1 || true
    measure "real: $(basename "$d") ($f files)" "$f" "$b" "$bin" check "$d" --format json
  done
fi

if [ "${CHECKOV:-1}" != 0 ] && command -v checkov >/dev/null 2>&1; then
  python3 scripts/gen_corpus.py "$out/small" "$cmb" 2 "$mix" >/dev/null
  read -r sf sb < <(tree_stats "$out/small")
  echo "Checkov $(checkov --version) on a smaller tree ($sf files, $(echo "scale=1; $sb / 1000000" | bc) MB): Checkov is too slow for the full tree"
  "$bin" check "$out/small" --format json >/dev/null 2>&1 || true
  measure "kijun (all cores, small tree)" "$sf" "$sb" "$bin" check "$out/small" --format json
  kwall=$(cat "$out/last_wall.txt")
  measure "checkov (small tree)" "$sf" "$sb" checkov -d "$out/small" --quiet --compact -o json \
    --skip-download --framework terraform kubernetes cloudformation arm
  cwall=$(cat "$out/last_wall.txt")
  printf 'kijun is %.0fx faster than checkov on the small tree\n' "$(echo "$cwall / $kwall" | bc -l)"
else
  echo "Checkov comparison skipped (CHECKOV=0, or checkov not installed: pip install checkov)"
fi
