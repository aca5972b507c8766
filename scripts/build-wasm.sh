#!/usr/bin/env bash
# Builds the npm package under www/dist: the core as optimised wasm plus the
# JS shim, as configured in wasm-pack.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

setting() { sed -n "s/^$1 = //p" wasm-pack.toml | head -1; }
profile=$(setting profile | tr -d '"')
targets=$(setting targets | tr -d '[]",')
opt_level=$(setting level | tr -d '"')
opt_features=$(setting features | tr -d '[]",')
inline_threshold=$(setting inline-threshold)

RUSTFLAGS="${RUSTFLAGS:-} -C llvm-args=-inline-threshold=$inline_threshold" \
  cargo build --lib --target wasm32-unknown-unknown --no-default-features --profile "$profile"
wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/edgeflag.wasm"

# wasm-bindgen's glue and the shim's sources meet in a staging folder; each
# runtime's entry is then bundled into one module next to the optimised wasm.
staging=target/wasm-bindgen
# The example worker's bundle (www/build) is made from dist: it goes too, to be rebuilt after.
rm -rf "$staging" www/dist www/build
mkdir -p "$staging" www/dist
for target in $targets; do
  wasm-bindgen --target "$target" --out-dir "$staging" --out-name edgeflag "$wasm"
done
www/node_modules/.bin/wasm-opt $opt_level --strip-debug --strip-producers $opt_features \
  "$staging/edgeflag_bg.wasm" -o www/dist/edgeflag_bg.wasm
cp www/src/*.js "$staging"/
cp www/src/*.d.ts LICENSE www/dist/
node www/scripts/bundle-entries.mjs "$staging" www/dist
echo "build: www/dist/edgeflag_bg.wasm $(wc -c < www/dist/edgeflag_bg.wasm) bytes"
