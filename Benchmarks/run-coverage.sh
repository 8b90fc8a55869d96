#!/usr/bin/env bash
# Coverage of the audit's 95% intervals against the truth of a 2M-user population, and the gate's false-alarm
# rate on a null world.
#   Benchmarks/run-coverage.sh [SEEDS] [SIZES] [TRUTH_USERS]      (defaults 300, 2000,10000,50000, 2000000)
set -euo pipefail
cd "$(dirname "$0")"
seeds="${1:-300}"
sizes="${2:-2000,10000,50000}"
truth="${3:-2000000}"
rm -f .build/*/release/description.json
swift build -c release --product Coverage >/dev/null
bin="$(swift build -c release --show-bin-path)/Coverage"
echo "# null scenario (datasets/null.yaml): every true gap is 0 by design; $seeds seeds per size"
"$bin" ../datasets/null.yaml "$seeds" "$sizes" "$truth" --null
echo "# credit-offers (datasets/credit-offers.yaml): true gaps from $truth users; $seeds seeds per size"
"$bin" ../datasets/credit-offers.yaml "$seeds" "$sizes" "$truth"
echo "# null-three-level (specs/null-three-level.yaml): a three-level and a boolean protected attribute, nothing"
echo "# depends on either; 3000 users, $seeds seeds (the gate's calibration at the size of the issue's probe)"
"$bin" specs/null-three-level.yaml "$seeds" 3000 "$truth" --null
