#!/usr/bin/env bash
# Runs every test: the Rust crate's formatting and lints, its tests (unit,
# integration, property, golden, CLI) and API docs, the instruction-count
# budgets, the wasm32 library build, the npm package build, the JS tests
# (Node; workerd, also running a wrangler build; Chromium, also running
# Vite and webpack builds; Firefox, WebKit, Deno, Bun, a Next.js Edge route,
# Vercel's Edge Runtime; the packed files), the size budgets, the wasm copy
# budgets and the benchmark's answer checks of every peer SDK. Installs what
# it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cargo fmt --check
cargo clippy --all-features --all-targets --locked -- -D warnings
# The bindings exist only in the wasm32 build.
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --locked -- -D warnings
cargo test --all-features --locked
# The API docs build without warnings: every public item documented, no broken links.
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features --locked
scripts/instruction-budgets.sh
cargo build --lib --target wasm32-unknown-unknown --no-default-features --locked
scripts/build-wasm.sh
cd www
node scripts/bundle-worker.mjs
node --test test/*.test.mjs
node scripts/budgets.mjs
node scripts/copy-budgets.mjs
(cd bench/peers && node compare.mjs --check)
