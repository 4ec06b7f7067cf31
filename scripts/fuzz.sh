#!/usr/bin/env bash
# libFuzzer runs of every cargo-fuzz target in fuzz/ for a short time each (CI's fuzzing step).
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET=20]   (environment: KIJUN_FUZZ_SEED, default 1)
#
# Needs a nightly toolchain and cargo-fuzz; installs both when missing. Seeds are the
# repository's own fixtures and examples, copied into a temporary corpus per target (nothing is
# written into the repository). A crash, a panic, an input slower than 10 s or one needing more
# than 2 GiB fails the script and leaves the input in fuzz/artifacts/<target>/: once fixed, add
# it under tests/regressions/<target>/, where tests/fuzz_smoke.rs replays it on every test run.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
# A fixed seed (KIJUN_FUZZ_SEED to vary it): CI explores the same inputs on every run, so a
# failure there reproduces, and a longer local run with the same seed covers what CI will try.
seed=${KIJUN_FUZZ_SEED:-1}

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

exts() { # target → file name endings of its seed inputs (as tests/fuzz_smoke.rs)
  case "$1" in
    hcl) echo ".tf .tfvars" ;;
    terraform_json) echo ".tf.json .json" ;;
    json | arm | plan) echo ".json" ;;
    yaml | kubernetes) echo ".yaml .yml" ;;
    cloudformation) echo ".yaml .yml .json .template" ;;
    *) echo ".tf .json .yaml .yml .tfvars" ;;
  esac
}

cd fuzz
cargo +nightly fuzz build -O
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in $(cargo +nightly fuzz list); do
  corpus="$work/$t"
  mkdir -p "$corpus"
  n=0
  for e in $(exts "$t"); do
    while IFS= read -r -d '' f; do
      # Small files only: libFuzzer mutates better from short inputs.
      if [ "$(stat -c %s "$f")" -le 65536 ]; then
        n=$((n + 1))
        cp "$f" "$corpus/seed-$n"
      fi
    done < <(find ../fixtures ../examples -type f -name "*$e" -print0 2>/dev/null | sort -z)
  done
  # Inputs that once failed this target, whatever their names.
  if [ -d "../tests/regressions/$t" ]; then
    cp ../tests/regressions/"$t"/* "$corpus/" 2>/dev/null || true
  fi
  echo "== fuzz $t: $n seeds, ${secs}s"
  cargo +nightly fuzz run -O "$t" "$corpus" -- -max_total_time="$secs" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -seed="$seed" -print_final_stats=1 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+== ERROR|SUMMARY|Done )" || true
  if [ -n "$(ls -A "artifacts/$t" 2>/dev/null)" ]; then
    echo "fuzz $t found a failing input: $(ls "artifacts/$t")" >&2
    exit 1
  fi
done
