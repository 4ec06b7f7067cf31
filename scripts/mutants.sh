#!/usr/bin/env bash
# Mutation testing (cargo-mutants) of the rules and of the engine's report and exception code;
# docs/testing.md ("Mutation testing") records the scores and the surviving mutants. Too slow
# for CI: run it by hand or on a schedule, one shard at a time if need be.
#
#   scripts/mutants.sh rules  [cargo-mutants options]   # kijun-rules, tested by its own tests
#                                                        # and the engine's fixture tests
#   scripts/mutants.sh engine [cargo-mutants options]   # report/ and the exception code
#
# Examples: `scripts/mutants.sh rules --sharding round-robin --shard 0/40` (one mutant in 40),
# `scripts/mutants.sh engine --list`, `scripts/mutants.sh rules -F 'in gcp_firewall'`.
# Needs `cargo install --locked cargo-mutants`. Output goes to mutants.out/ in the checkout
# (cargo-mutants' default; it is ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
scope=${1:-}
shift || true
# The SARIF tests validate against the official schema, which scripts/test.sh extracts into the
# target directory; cargo-mutants builds a copy of the tree, so it is found through this variable.
if [ -z "${KIJUN_SARIF_SCHEMA:-}" ]; then
  for s in "${CARGO_TARGET_DIR:-target}/sarif-schema/sarif-schema-2.1.0.json" \
    ../shared/schemas/sarif-schema-2.1.0.json; do
    if [ -f "$s" ]; then
      KIJUN_SARIF_SCHEMA=$(realpath "$s")
      export KIJUN_SARIF_SCHEMA
      break
    fi
  done
fi
case "$scope" in
  rules)
    # Rule mutants are killed by the fixture tests of kijun-engine (crates/kijun-engine/tests/
    # rules.rs, one test per fixtures/<rule-id>/) and the catalogue invariants, not only by
    # kijun-rules' own unit tests: test both packages. cargo-mutants' own baseline would run
    # the mutated package's tests only, so the baseline is this test command, run here first.
    if [[ " $* " != *" --list "* ]]; then
      cargo test -p kijun-rules -p kijun-engine
    fi
    exec cargo mutants --package kijun-rules \
      --test-package kijun-rules --test-package kijun-engine \
      --baseline skip --timeout 300 "$@"
    ;;
  engine)
    # The report renderers (report/), the exception ledger (exceptions.rs) and the engine's side
    # of it (`apply_exceptions` in lib.rs) are tested by the engine's unit tests and, end to
    # end, by the root package's report, policy and format tests (tests/reports.rs,
    # tests/policy.rs, tests/cli_formats.rs: modules of the root's one test binary, tests/it.rs).
    # Only those tests run for each mutant: the other modules test none of this code, and some
    # take minutes (browsers, packages). The filters after `--` go to every test binary of the
    # command: `tests::` keeps the unit tests (all in `mod tests` or `mod *_tests` blocks), the
    # module paths pick the three files out of tests/it.rs.
    # cargo-mutants 27.1 does not apply --re to struct-field mutants, so four of them from
    # elsewhere in lib.rs (in `check` and `finish`) are in this set too.
    # cargo-mutants' baseline runs the tests of the mutated package only (where `--test
    # it` does not exist), so the baseline is this same test command, run here first, and
    # its own is skipped (with a fixed timeout, as it cannot measure one).
    tests=(--lib --test it -- tests:: reports:: policy:: cli_formats::)
    if [[ " $* " != *" --list "* ]]; then
      cargo test -p kijun-engine -p kijun "${tests[@]}"
    fi
    exec cargo mutants --package kijun-engine \
      --file 'crates/kijun-engine/src/report/*.rs' --file crates/kijun-engine/src/exceptions.rs \
      --file crates/kijun-engine/src/lib.rs \
      --re 'src/report/|src/exceptions\.rs|in apply_exceptions' \
      --test-package kijun-engine --test-package kijun \
      $(printf -- '--cargo-test-arg=%s ' "${tests[@]}") \
      --baseline skip --timeout 300 "$@"
    ;;
  *)
    echo "usage: scripts/mutants.sh rules|engine [cargo-mutants options]" >&2
    exit 2
    ;;
esac
