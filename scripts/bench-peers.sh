#!/usr/bin/env bash
# Times `nagare check` (whole process) against pytm's whole run and Graphviz `dot` on the same synthetic graph
# (the finding-dense office of issue 12, `cargo run --example synth`), and prints one table whose ratios are
# measured in this run. Peers that are not installed are skipped with a note.
#
#   scripts/bench-peers.sh                 # N = 100 1000 3000 10000 100000 (peers up to PEER_MAX)
#   scripts/bench-peers.sh 1000 10000      # chosen sizes
#   RUNS=7 PEER_MAX=3000 scripts/bench-peers.sh
#
# Each figure is the median wall time of RUNS runs (default 5; 3 at N ≥ 10000; pytm and dot once at N ≥ 3000)
# measured with /usr/bin/time, which also gives the peak resident memory (max RSS) of each run.
# pytm's whole run is `python3 model.py --json out.json`: it checks the model, resolves every threat against
# every element and writes the findings (pytm 1.x; `--report` needs a template and does the same resolution).
# The DOT graph is nagare's own layered export when `nagare render --view layered -o x.dot` exists, else the one
# `examples/synth --dot` writes (same nodes, nested clusters and labelled edges); dot renders it to SVG.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then sizes=(100 1000 3000 10000 100000); fi
PEER_MAX=${PEER_MAX:-10000}
# dot needs minutes on nagare's layered DOT from about 300 nodes (docs/layout.md): only up to 200 by default.
DOT_MAX=${DOT_MAX:-200}
SEED=${SEED:-42}

if [ ! -x /usr/bin/time ]; then
    echo "/usr/bin/time がありません（GNU time を入れてください）" >&2
    exit 2
fi
cargo build --release --quiet --bin nagare --example synth
NAGARE=target/release/nagare
SYNTH=target/release/examples/synth

have_pytm=0
if python3 -c 'import pytm' 2>/dev/null; then have_pytm=1; fi
have_dot=0
if command -v dot >/dev/null; then have_dot=1; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# median_run RUNS CMD... → "seconds peak_MB" (medians over the runs); the command's output is discarded.
median_run() {
    local runs=$1
    shift
    local times=() mems=()
    for _ in $(seq "$runs"); do
        /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1 || true
        t=$(tail -1 "$work/time" | cut -d' ' -f1)
        m=$(tail -1 "$work/time" | cut -d' ' -f2)
        times+=("$t")
        mems+=("$m")
    done
    local mt mm
    mt=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    mm=$(printf '%s\n' "${mems[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]/1024}')
    echo "$mt $mm"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
echo "nagare $(git rev-parse --short HEAD 2>/dev/null || echo '?'); pytm $([ $have_pytm = 1 ] && python3 -c 'import importlib.metadata as m; print(m.version("pytm"))' || echo 'なし'); dot $([ $have_dot = 1 ] && dot -V 2>&1 | awk '{print $5}' || echo 'なし')"
echo
echo "| N systems | flows | findings | nagare check | nagare peak MB | pytm run | pytm peak MB | pytm ÷ nagare | dot -Tsvg | dot ÷ nagare |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
    "$SYNTH" "$n" --seed "$SEED" --ron "$work/m.ron" --pytm "$work/m.py" --dot "$work/synth.dot" 2>/dev/null
    flows=$(grep -c '^        (no: ' "$work/m.ron")
    # check exits 1 when there are findings; only the count in its summary line is wanted here.
    findings=$({ "$NAGARE" check "$work/m.ron" 2>/dev/null || true; } | tail -2 | grep -o '指摘 [0-9]* 件' | grep -o '[0-9]*' || true)
    runs=${RUNS:-$([ "$n" -ge 10000 ] && echo 3 || echo 5)}
    read -r nt nm < <(median_run "$runs" "$NAGARE" check "$work/m.ron")
    pt='—' pm='—' pr='—' dt='—' dr='—'
    if [ $have_pytm = 1 ] && [ "$n" -le "$PEER_MAX" ]; then
        pruns=$([ "$n" -ge 3000 ] && echo 1 || echo "$runs")
        read -r pt pm < <(median_run "$pruns" timeout 900 python3 "$work/m.py" --json "$work/pytm.json")
        pr=$(awk -v a="$pt" -v b="$nt" 'BEGIN { printf "%.0f×", a / (b > 0 ? b : 0.005) }')
        pt="${pt} s"
    fi
    if [ $have_dot = 1 ] && [ "$n" -le "$DOT_MAX" ]; then
        dotfile="$work/synth.dot"
        if timeout 300 "$NAGARE" render "$work/m.ron" --view layered -o "$work/nagare.dot" >/dev/null 2>&1 && [ -s "$work/nagare.dot" ]; then
            dotfile="$work/nagare.dot"
        fi
        druns=$([ "$n" -ge 3000 ] && echo 1 || echo "$runs")
        read -r dt _ < <(median_run "$druns" timeout 900 dot -Tsvg "$dotfile" -o "$work/out.svg")
        dr=$(awk -v a="$dt" -v b="$nt" 'BEGIN { printf "%.0f×", a / (b > 0 ? b : 0.005) }')
        dt="${dt} s"
    fi
    echo "| $n | $flows | $findings | ${nt} s | $nm | $pt | $pm | $pr | $dt | $dr |"
done
echo
echo "/usr/bin/time measures 0.01 s steps: a nagare figure of 0.00–0.01 s means under 10 ms (the ratio then uses 5 ms)."
