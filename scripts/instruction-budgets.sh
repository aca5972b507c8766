#!/usr/bin/env bash
# Deterministic performance budgets: runs each workload of
# benches/instructions.rs once under callgrind, counting only the
# instructions inside `measured`, prints the counts and fails when one exceeds
# its ceiling in benches/instruction-budgets.txt. Counts do not vary between
# runs of the same build, unlike times on a shared machine; a new Rust version
# may move them a little, hence ceilings about 10 % above the measured counts.
set -euo pipefail
cd "$(dirname "$0")/.."

budgets=benches/instruction-budgets.txt
export CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER="valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=*instructions::measured*"
cargo bench --quiet --locked --bench instructions --no-run 2>/dev/null
failed=0
while read -r workload per ceiling _; do
  case "$workload" in '#'* | '') continue ;; esac
  count=$(cargo bench --quiet --locked --bench instructions -- "$workload" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  if [ -z "$count" ]; then
    echo "FAIL $workload: no instruction count (is valgrind installed?)"
    failed=1
    continue
  fi
  figure=$((count / per))
  verdict=ok
  [ "$figure" -le "$ceiling" ] || { verdict=FAIL; failed=1; }
  printf '%-4s %-15s %12s instructions  (ceiling %s)\n' "$verdict" "$workload" "$figure" "$ceiling"
done < "$budgets"
exit $failed
