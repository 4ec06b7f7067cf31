#!/usr/bin/env bash
# Packs a built kijun binary as a release asset: OUT/kijun-VERSION-TARGET.tar.gz (.zip for
# Windows targets) holding kijun-VERSION-TARGET/{kijun,README.md,CHANGELOG.md}, and the checksum
# file OUT/<archive>.sha256 ("<hex>  <archive>", as `sha256sum --check` reads it).
#
#   scripts/dist.sh TARGET BINARY OUT_DIR
set -euo pipefail
target="$1"
bin="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
out="$3"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$(dirname "$0")/.."
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
name="kijun-$version-$target"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp README.md CHANGELOG.md "$stage/$name/"
case "$target" in
  *windows*)
    cp "$bin" "$stage/$name/kijun.exe"
    archive="$name.zip"
    (cd "$stage" && rm -f "$out/$archive" && zip -qr "$out/$archive" "$name")
    ;;
  *)
    install -m 0755 "$bin" "$stage/$name/kijun"
    archive="$name.tar.gz"
    flags=()
    # Reproducible with GNU tar (Linux): fixed order, owner and times. macOS's bsdtar lacks these.
    if tar --version 2>/dev/null | grep -q GNU; then
      flags=(--sort=name --owner=0 --group=0 --numeric-owner --mtime=@0)
    fi
    tar ${flags[@]+"${flags[@]}"} -C "$stage" -cf - "$name" | gzip -9n > "$out/$archive"
    ;;
esac
if command -v sha256sum >/dev/null 2>&1; then
  (cd "$out" && sha256sum "$archive" > "$archive.sha256")
else
  (cd "$out" && shasum -a 256 "$archive" > "$archive.sha256")
fi
echo "$out/$archive"
