#!/usr/bin/env bash
# `npm run bench`: every bench runs, even after one misses a target; the exit code says whether all met theirs.
set -u
cd "$(dirname "$0")/.."
failed=()
# The benches measure the compiled package, as users run it (bench/shipped.ts).
npm run --silent build || exit 1
run() {
  echo "== $*"
  npx tsx "$@" || failed+=("$1")
}
run bench/engine.bench.ts 2000 1000000
run bench/replay.bench.ts 300000
run bench/diff.bench.ts 60
run bench/synth.bench.ts 1000 5000
run bench/typecheck.bench.ts
run bench/matrix.bench.ts 2000 5000
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench: targets missed in ${failed[*]}" >&2
  exit 1
fi
echo "bench: every target met"
