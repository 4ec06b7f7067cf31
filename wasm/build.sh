#!/usr/bin/env bash
# Builds the WASM module (wasm32-unknown-unknown, no imports) and the WASI command
# (wasm32-wasip1) into wasm/dist/, with the `wasm` profile of Cargo.toml (size-optimised: see
# docs/performance.md). Installs the Rust targets it needs. CARGO_TARGET_DIR is honoured.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
rustup target add wasm32-unknown-unknown wasm32-wasip1 >/dev/null
cargo build --profile wasm -p kijun-wasm --lib --target wasm32-unknown-unknown
cargo build --profile wasm -p kijun-wasm --bin kijun-wasi --target wasm32-wasip1
mkdir -p wasm/dist
cp "$target/wasm32-unknown-unknown/wasm/kijun_wasm.wasm" wasm/dist/kijun.wasm
cp "$target/wasm32-wasip1/wasm/kijun-wasi.wasm" wasm/dist/kijun-wasi.wasm
ls -l wasm/dist/*.wasm
