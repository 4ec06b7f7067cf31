#!/usr/bin/env bash
# Builds the WASM module (wasm32-unknown-unknown, no imports) and the WASI command
# (wasm32-wasip1) into wasm/dist/. Installs the Rust targets it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
rustup target add wasm32-unknown-unknown wasm32-wasip1 >/dev/null
cargo build --release -p kijun-wasm --lib --target wasm32-unknown-unknown
cargo build --release -p kijun-wasm --bin kijun-wasi --target wasm32-wasip1
mkdir -p wasm/dist
cp target/wasm32-unknown-unknown/release/kijun_wasm.wasm wasm/dist/kijun.wasm
cp target/wasm32-wasip1/release/kijun-wasi.wasm wasm/dist/kijun-wasi.wasm
ls -l wasm/dist/*.wasm
