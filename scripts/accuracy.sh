#!/usr/bin/env bash
# Measures kijun on checked-out public repositories (docs/accuracy.md, "One finding per
# problem"): findings per repository, duplicate (rule, file, line, resource) groups, region
# findings (all, and on configuration-only types of policies/data/resource-roles.toml), lines
# reported by both N1 and N2, not-evaluated entries, and a seeded random sample of findings to
# review by hand.
#
#   scripts/accuracy.sh KIJUN REPOS_DIR OUT_DIR [SEED] [SAMPLE_SIZE]
#
# KIJUN is the kijun binary to measure, REPOS_DIR holds one checkout per repository (named
# as below), OUT_DIR receives one JSON report per repository. The sample is deterministic: the
# same reports and seed give the same sample.
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
KIJUN=$(realpath "$1")
REPOS=$(realpath "$2")
mkdir -p "$3"
OUT=$(realpath "$3")
SEED=${4:-13}
N=${5:-60}
NOW=${KIJUN_NOW:-2026-12-06}
# The configuration-only list of this checkout, for the "C1 conf" column.
KIJUN_SRC=$(cd "$(dirname "$0")/.." && pwd)
export KIJUN_SRC

REPOSITORIES="terraform-aws-s3-bucket terraform-aws-eks terraform-aws-rds
terraform-google-kubernetes-engine terraform-azurerm-avm-res-storage-storageaccount examples
aws-cloudformation-templates azure-docs-json-samples"

cd "$REPOS"
for r in $REPOSITORIES; do
  [ -d "$r" ] || { echo "missing checkout: $REPOS/$r" >&2; exit 2; }
  # Exit status 1 means "findings"; only a usage or internal error (2 and above) stops us.
  "$KIJUN" check "$r" --format json --lang en --now "$NOW" >"$OUT/$r.json" || [ $? -eq 1 ]
done

python3 - "$OUT" "$SEED" "$N" $REPOSITORIES <<'PY'
import json, random, sys, collections
out, seed, n, repos = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
import os, tomllib
def loc(f):
    return f.get("file"), f.get("line")
roles_file = os.path.join(os.environ["KIJUN_SRC"], "policies/data/resource-roles.toml")
config_only = set()
if os.path.exists(roles_file):
    for v in tomllib.load(open(roles_file, "rb")).get("configuration_only", {}).values():
        config_only.update(t.lower() for t in v)
rows, every = [], []
print(f"{'repository':50} {'findings':>8} {'dup groups':>10} {'dup extra':>9} {'C1':>5} {'C1 conf':>7} {'N1+N2':>5} {'not eval':>8}")
tot = collections.Counter()
for r in repos:
    rep = json.load(open(f"{out}/{r}.json"))
    fs = rep.get("findings", [])
    keys = collections.Counter((f.get("rule_id"), *loc(f), f.get("resource")) for f in fs)
    dups = [k for k, c in keys.items() if c > 1]
    extra = sum(c - 1 for c in keys.values() if c > 1)
    c1 = sum(1 for f in fs if str(f.get("rule_id", "")).startswith("KJ-C1-"))
    c1conf = sum(1 for f in fs if str(f.get("rule_id", "")).startswith("KJ-C1-")
                 and str(f.get("kind", "")).lower() in config_only)
    # One ingress line reported by both the administration-port and the all-ports rule.
    lines = collections.defaultdict(set)
    for f in fs:
        lines[(*loc(f), f.get("resource"))].add(str(f.get("rule_id", ""))[:6])
    both = sum(1 for v in lines.values() if {"KJ-N1-", "KJ-N2-"} <= v)
    ne = len(rep.get("not_evaluated", []))
    print(f"{r:50} {len(fs):>8} {len(dups):>10} {extra:>9} {c1:>5} {c1conf:>7} {both:>5} {ne:>8}")
    tot.update(findings=len(fs), dups=len(dups), extra=extra, c1=c1, c1conf=c1conf, both=both, ne=ne)
    for f in fs:
        every.append((r, f))
print(f"{'total':50} {tot['findings']:>8} {tot['dups']:>10} {tot['extra']:>9} {tot['c1']:>5} {tot['c1conf']:>7} {tot['both']:>5} {tot['ne']:>8}")
by_rule = collections.Counter(f.get("rule_id") for _, f in every)
print("\nfindings per rule:", ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items())))
# The sample: every finding in report order, shuffled with a fixed seed.
rng = random.Random(seed)
sample = rng.sample(every, min(n, len(every)))
print(f"\nsample (seed {seed}, {len(sample)} of {len(every)}):")
for i, (r, f) in enumerate(sample, 1):
    file, line = loc(f)
    print(f"{i:3}. [{r}] {f.get('rule_id')} {file}:{line} {f.get('resource')} ({f.get('kind')}): {f.get('message')}")
PY
