#!/usr/bin/env bash
# The docs/inventory.md walk-through: generate N synthetic municipalities, export each with `nagare inventory -o
# *.jsonl`, and load them all into DuckDB (scripts/inventory_duckdb.py). Needs python3 with the duckdb package.
#   bash scripts/inventory-duckdb.sh [作業フォルダ=/tmp/nagare-inventory] [団体数=100] [資料数=3] [ノード数=300]
set -euo pipefail
work=${1:-/tmp/nagare-inventory}
bodies=${2:-100}
papers=${3:-3}
nodes=${4:-300}
profile=${PROFILE:-release}
flag=$([ "$profile" = release ] && echo --release || true)
cargo build $flag --bin nagare --example inventory_synth
rm -rf "$work"
mkdir -p "$work/exports"
"target/$profile/examples/inventory_synth" "$work/models" "$bodies" "$papers" "$nodes"
start=$(date +%s.%N)
for dir in "$work"/models/*/; do
    name=$(basename "$dir")
    # Exit 1 means cross-paper findings, which the synthetic papers have on purpose.
    "target/$profile/nagare" inventory "$dir" -o "$work/exports/$name.jsonl" > /dev/null || [ $? -eq 1 ]
done
end=$(date +%s.%N)
echo "export: $bodies municipalities in $(echo "$end - $start" | bc) s"
du -sh "$work/exports"
python3 scripts/inventory_duckdb.py "$work/exports/*.jsonl"
