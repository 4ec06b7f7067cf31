#!/usr/bin/env bash
# Installs kijun for CI: downloads the release archive for this machine and the given version,
# verifies its SHA-256 against the release's checksum file (and against --sha256 when pinned),
# and puts the binary in DEST/bin. With version `source` it builds from source with
# `cargo install --locked` instead. Used by action.yml and ci/gitlab-kijun.yml.
#
#   ci/install-kijun.sh --version 0.1.0 --base-url URL [--dest DIR] [--sha256 HEX]
#   ci/install-kijun.sh --version source --source PATH|GIT_URL [--ref REF] [--dest DIR]
#
# URL is the directory that holds the release assets, e.g.
#   https://github.com/OWNER/kijun/releases/download/v0.1.0
#   https://gitlab.example/GROUP/kijun/-/releases/v0.1.0/downloads
# The assets are kijun-VERSION-TARGET.tar.gz (.zip on Windows) and the same name + .sha256.
# The last line printed is the path of the installed binary.
set -euo pipefail

version="${KIJUN_VERSION:-}"
base_url="${KIJUN_BASE_URL:-}"
dest="${KIJUN_DEST:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/kijun}"
pinned="${KIJUN_SHA256:-}"
source=""
ref=""
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --base-url) base_url="$2"; shift 2 ;;
    --dest) dest="$2"; shift 2 ;;
    --sha256) pinned="$2"; shift 2 ;;
    --source) source="$2"; shift 2 ;;
    --ref) ref="$2"; shift 2 ;;
    *) echo "install-kijun: unknown argument $1" >&2; exit 2 ;;
  esac
done
fail() { echo "install-kijun: $*" >&2; exit 1; }
[ -n "$version" ] || fail "no version given (--version X.Y.Z or --version source)"
mkdir -p "$dest/bin"
dest="$(cd "$dest" && pwd)"

if [ "$version" = source ]; then
  [ -n "$source" ] || fail "--version source needs --source (a checkout's path or a git URL)"
  if ! command -v cargo >/dev/null 2>&1; then
    fail "building from source needs a Rust toolchain (https://rustup.rs)"
  fi
  if [ -d "$source" ]; then
    cargo install --locked --path "$source" --root "$dest" kijun >&2
  else
    cargo install --locked --git "$source" ${ref:+--rev "$ref"} --root "$dest" kijun >&2
  fi
  echo "$dest/bin/kijun"
  exit 0
fi

case "$version" in
  v*) version="${version#v}" ;;
esac
echo "$version" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$' \
  || fail "version must look like 1.2.3 (or be \"source\"), not $version"
[ -n "$base_url" ] || fail "no --base-url: where are the release assets?"

os="$(uname -s)"
arch="$(uname -m)"
ext=tar.gz
exe=kijun
case "$os/$arch" in
  Linux/x86_64 | Linux/amd64) target=x86_64-unknown-linux-musl ;;
  Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-musl ;;
  Darwin/x86_64) target=x86_64-apple-darwin ;;
  Darwin/arm64 | Darwin/aarch64) target=aarch64-apple-darwin ;;
  MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) target=x86_64-pc-windows-msvc; ext=zip; exe=kijun.exe ;;
  *) fail "no release binary for $os/$arch; use --version source to build from source" ;;
esac
name="kijun-$version-$target"
archive="$name.$ext"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 --retry-delay 2 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    fail "neither curl nor wget is installed"
  fi
}
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}
echo "install-kijun: downloading $base_url/$archive" >&2
fetch "$base_url/$archive" "$tmp/$archive" || fail "cannot download $base_url/$archive"
fetch "$base_url/$archive.sha256" "$tmp/$archive.sha256" || fail "cannot download $base_url/$archive.sha256"
expected="$(tr -d '\r' < "$tmp/$archive.sha256" | awk 'NR == 1 { print tolower($1) }')"
echo "$expected" | grep -Eq '^[0-9a-f]{64}$' || fail "$archive.sha256 holds no SHA-256"
actual="$(sha256 "$tmp/$archive")"
if [ "$actual" != "$expected" ]; then
  fail "checksum mismatch for $archive: expected $expected (from $archive.sha256), got $actual; refusing to install"
fi
if [ -n "$pinned" ] && [ "$actual" != "$(echo "$pinned" | tr 'A-F' 'a-f')" ]; then
  fail "checksum mismatch for $archive: pinned $pinned, got $actual; refusing to install"
fi
echo "install-kijun: $archive: SHA-256 $actual verified" >&2

mkdir "$tmp/x"
if [ "$ext" = zip ]; then
  unzip -q "$tmp/$archive" -d "$tmp/x"
else
  tar -xzf "$tmp/$archive" -C "$tmp/x"
fi
[ -f "$tmp/x/$name/$exe" ] || fail "$archive has no $name/$exe"
install -m 0755 "$tmp/x/$name/$exe" "$dest/bin/$exe"
got="$("$dest/bin/$exe" --version | head -n 1)"
[ "$got" = "kijun $version" ] || fail "the installed binary says \"$got\", not \"kijun $version\""
echo "install-kijun: installed $got" >&2
echo "$dest/bin/$exe"
