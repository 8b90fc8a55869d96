#!/usr/bin/env bash
# Calibration of the audit's verdicts on the null scenario, power on a planted effect, and the error rate of the
# equivalence verdict "none" at true selection-rate ratios beyond the four-fifths band.
#   Benchmarks/run-calibration.sh [SEEDS]        (default 200)
set -euo pipefail
cd "$(dirname "$0")"
seeds="${1:-200}"
rm -f .build/*/release/description.json
swift build -c release --product Calibration >/dev/null
bin="$(swift build -c release --show-bin-path)/Calibration"
echo "# null scenario (datasets/null.yaml), 2000 users, $seeds seeds"
"$bin" ../datasets/null.yaml 2000 "$seeds" | tail -1
for users in 1000 2000 5000 20000; do
  echo "# planted gender effect (specs/planted-gender.yaml), $users users, 100 seeds"
  "$bin" specs/planted-gender.yaml "$users" 100 \
    campaign/premium_credit/gender/demographic_parity_difference \
    "counterfactual/premium_credit/gender/do(gender=male)/counterfactual_flip_rate" | tail -1
done
for ratio in 0.79 0.75 0.7; do
  for users in 2000 20000 100000; do
    echo "# equivalence: true rate ratio $ratio, $users users, 1000 seeds"
    "$bin" --equivalence "$ratio" "$users" 1000
  done
done
