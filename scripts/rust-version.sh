#!/usr/bin/env bash
# Checks that `rust-version` in Cargo.toml states what the locked dependencies really need: the
# highest `rust-version` declared by any package of the locked dependency graph (dev and build
# dependencies included). Prints it; exits 1 when Cargo.toml says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo metadata --locked --format-version 1 | python3 -c '
import json, re, sys
meta = json.load(sys.stdin)
used = {node["id"] for node in meta["resolve"]["nodes"]}
needs = [
    (tuple(int(x) for x in p["rust_version"].split(".")), p["name"], p["version"])
    for p in meta["packages"]
    if p["id"] in used and p.get("rust_version")
]
need, name, version = max(needs)
need_text = ".".join(map(str, need[:2] if len(need) > 2 and need[2] == 0 else need))
with open("Cargo.toml", encoding="utf-8") as f:
    stated = re.search(r"^rust-version\s*=\s*\"([^\"]+)\"", f.read(), re.M).group(1)
print(f"rust-version: the locked dependencies need Rust {need_text} ({name} {version}); Cargo.toml says {stated}")
if tuple(int(x) for x in stated.split(".")) + (0,) * (3 - len(stated.split("."))) != need:
    sys.exit(f"set rust-version = \"{need_text}\" in Cargo.toml ([workspace.package])")
'
