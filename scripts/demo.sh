#!/usr/bin/env bash
# The main job on the shipped examples: check every model in models/ and draw its committee diagram into out/.
#   out/<model>.check.txt   the gap report (指摘) in Japanese
#   out/<model>.json        the same findings as JSON
#   out/<model>.svg/.png/.pdf  the 「個人情報の流れ」 diagram, gaps highlighted in red
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
cargo build -q --bin nagare
nagare() { cargo run -q --bin nagare -- "$@"; }
for model in models/*.ron; do
  name=$(basename "$model" .ron)
  # Exit 1 only means "findings at or above --fail-on": expected for real papers. Exit 2 is an error.
  status=0
  nagare check "$model" > "out/$name.check.txt" || status=$?
  if [ "$status" -ge 2 ]; then cat "out/$name.check.txt"; echo "error checking $model" >&2; exit 2; fi
  nagare check --format json "$model" > "out/$name.json" || [ $? -eq 1 ]
  for ext in svg png pdf; do
    nagare render "$model" --highlight -o "out/$name.$ext" > /dev/null
  done
  echo "$model → out/$name.{check.txt,json,svg,png,pdf}  ($(tail -n 2 "out/$name.check.txt" | head -n 1))"
done
