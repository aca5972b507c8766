#!/usr/bin/env bash
# Installs what the build, the tests and the benchmarks need, idempotently:
# the wasm32 target, rustfmt and clippy, the wasm-bindgen CLI matching
# Cargo.lock, the npm packages (the package's and the peer SDKs'), Chromium,
# Firefox ESR and WebKitGTK (with Xvfb), and valgrind (the instruction-count
# budgets).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
# The test command checks formatting and lints.
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
installed=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$installed" != "$wanted" ]; then
  echo "setup: installing wasm-bindgen-cli $wanted (found '${installed:-none}')"
  cargo install wasm-bindgen-cli --version "$wanted"
fi

# The package's development dependencies, and the peer SDKs the benchmark
# compares with (whose answers the tests check).
for dir in www www/bench/peers; do
  if ! (cd "$dir" && npm ls --depth=0 >/dev/null 2>&1); then
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
done

missing=()
if [ "${EDGEFLAG_SKIP_BROWSER:-}" != 1 ] && ! command -v chromium >/dev/null; then missing+=(chromium); fi
if [ "${EDGEFLAG_SKIP_BROWSER:-}" != 1 ] && ! command -v firefox-esr >/dev/null; then missing+=(firefox-esr); fi
# WebKit (Safari's engine): WebKitGTK's MiniBrowser under its WebDriver, on a virtual display.
if [ "${EDGEFLAG_SKIP_BROWSER:-}" != 1 ] && ! command -v WebKitWebDriver >/dev/null; then missing+=(webkit2gtk-driver); fi
if [ "${EDGEFLAG_SKIP_BROWSER:-}" != 1 ] && ! command -v Xvfb >/dev/null; then missing+=(xvfb); fi
if ! command -v valgrind >/dev/null; then missing+=(valgrind); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
