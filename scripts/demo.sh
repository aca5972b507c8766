#!/usr/bin/env bash
# The main job: builds everything, creates a fresh dev key, signs the example
# flags, and serves the demo page and the example edge worker on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build-wasm.sh
(cd www && node scripts/bundle-worker.mjs)
cargo build --release --features cli --locked

mkdir -p .dev
edgeflag=target/release/edgeflag
rm -f .dev/dev.key .dev/dev.pub
"$edgeflag" keygen --out .dev/dev
"$edgeflag" build examples/flags.yaml --key .dev/dev.key --env production --expires-in 1d --out .dev/snapshot.json
"$edgeflag" verify .dev/snapshot.json --pubkey .dev/dev.pub --env production

cd www
exec node scripts/serve-demo.mjs ../.dev/snapshot.json "$(cat ../.dev/dev.pub)" production "${PAGE_PORT:-8787}" "${WORKER_PORT:-8788}"
