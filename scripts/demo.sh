#!/usr/bin/env bash
# The main job on the shipped examples (README: `nagare build models -o out`): for every model in models/, write
#   out/<model>.svg/.png/.pdf/.drawio    the 「個人情報の流れ」 diagram, gaps highlighted in red (.drawio: editable, one sheet per printed page)
#   out/<model>.check.txt, .json         the gap report (指摘) in Japanese, and the same findings as JSON
#   out/<model>.report.html/.report.xlsx the committee report
# Exit 0, or 2 if a model has errors (findings alone do not fail the job).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --bin nagare
cargo run -q --bin nagare -- build models -o out
