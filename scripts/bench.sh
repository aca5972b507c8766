#!/usr/bin/env bash
# Runs every benchmark and prints the figures (nothing here passes or fails
# on time): native criterion, the wasm package in Node (with the cold start
# of the signature check alone, its floor), cold start in
# workerd, and the side-by-side comparison with the peer SDKs (installed into
# www/bench/peers by scripts/setup.sh). Takes about 10 minutes.
#   scripts/bench.sh [native|js|workerd|peers ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."

parts=("${@:-native js workerd peers}")
wants() { [[ " ${parts[*]} " == *" $1 "* ]]; }

scripts/setup.sh
if wants native; then cargo bench --locked --bench evaluate; fi
scripts/build-wasm.sh >/dev/null
cd www
if wants js; then node --expose-gc bench/evaluate.mjs && node bench/cold-start-compile.mjs && node bench/cold-start-floor.mjs; fi
if wants workerd; then node bench/cold-start-workerd.mjs; fi
if wants peers; then
  (cd bench/peers && node --expose-gc compare.mjs && node sizes.mjs)
fi
