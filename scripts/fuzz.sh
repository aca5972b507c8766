#!/usr/bin/env bash
# Fuzzes the envelope verifier, the payload decoder and compiler, the YAML
# authoring reader, evaluation with arbitrary contexts, the compact form of
# contexts against their JSON, and the regex engine against regex-lite
# (cargo-fuzz, libFuzzer, nightly).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]
# Seeds live in fuzz/corpus/; new inputs go to target/fuzz-corpus/, crashes to
# fuzz/artifacts/. Every crash found becomes a regression test in tests/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-120}
shift || true
targets=${*:-envelope payload authoring evaluate compact regex}

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz

for target in $targets; do
  corpus="target/fuzz-corpus/$target"
  mkdir -p "$corpus"
  cp fuzz/corpus/"$target"/* "$corpus"/
  echo "fuzz: $target for ${seconds}s"
  cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 2>&1 |
    grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|Done|==[0-9]+== ERROR|SUMMARY)' || true
done
