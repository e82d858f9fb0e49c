#!/usr/bin/env bash
# Start to ready: `custodia serve` with the defaults (SQLite) on a data directory
# holding SUBJECTS customers (default 100,000, each with an e-mail and so a blind
# index entry) created through the API by bench/create.lua. The server is started
# RUNS times (default 3) on a copy of the seeded directory; each run prints the
# seconds from the spawn until /healthz first answers and until /readyz answers 200
# (a build without /readyz opens its port only once loaded: ready = /healthz), polled
# every 10 ms, then the medians.
# With SEED=DIR, the seeded data directory is kept in DIR and reused by later runs, so
# that two builds are measured on the same data: seed with the older build, which the
# newer one migrates.
# Usage: [SEED=DIR] [CUSTODIA_BIN=...] bench/start.sh [SUBJECTS] [RUNS]
# Needs: wrk, curl, and `cargo build --release -p custodia`.
set -euo pipefail
subjects=${1:-100000}
runs=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CUSTODIA_BIN:-$root/target/release/custodia}
dir=$(mktemp -d)
url=http://127.0.0.1:18183
trap 'kill ${server:-} 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT

serve() {
    "$bin" serve --data-dir "$1" --listen 127.0.0.1:18183 >>"$dir/server.log" 2>&1 &
    server=$!
}

stop() {
    kill "$server"
    wait "$server" 2>/dev/null || true
}

if [[ -n ${SEED:-} && -d ${SEED}/data ]]; then
    echo "reusing the data directory seeded in $SEED"
else
    "$bin" init --data-dir "$dir/data" >/dev/null
    key=$("$bin" apikeys create --data-dir "$dir/data" --role dpo --name bench | tail -1)
    serve "$dir/data"
    for _ in $(seq 600); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.1; done
    started=$(date +%s)
    # Both wrk threads create SUBJECTS/2 each, then leave a file in done/.
    mkdir -p "$dir/done"
    KEY=$key PER_THREAD=$((subjects / 2)) DONE_DIR=$dir/done \
        wrk -t2 -c32 -d3600s -s "$root/bench/create.lua" "$url" >/dev/null &
    wrk_pid=$!
    while [[ $(find "$dir/done" -type f | wc -l) -lt 2 ]] && kill -0 "$wrk_pid" 2>/dev/null; do
        sleep 0.5
    done
    kill "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" 2>/dev/null || true
    echo "seeded $subjects subjects in $(($(date +%s) - started)) s"
    stop
    if [[ -n ${SEED:-} ]]; then
        mkdir -p "$SEED"
        rm -rf "$SEED/data"
        cp -a "$dir/data" "$SEED/"
    fi
fi
source_dir=${SEED:-$dir}/data

now() { date +%s.%N; }
alive=()
ready=()
for run in $(seq "$runs"); do
    rm -rf "$dir/run"
    cp -a "$source_dir" "$dir/run"
    t0=$(now)
    serve "$dir/run"
    first_alive=""
    while :; do
        if [[ -z $first_alive ]] && curl -sf -o /dev/null "$url/healthz"; then
            first_alive=$(now)
        fi
        if [[ -n $first_alive ]]; then
            status=$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")
            if [[ $status == 200 || $status == 404 ]]; then
                break
            fi
        fi
        kill -0 "$server" 2>/dev/null || { tail -5 "$dir/server.log" >&2; exit 1; }
        sleep 0.01
    done
    t1=$(now)
    a=$(echo "$first_alive - $t0" | bc -l)
    r=$(echo "$t1 - $t0" | bc -l)
    alive+=("$a")
    ready+=("$r")
    printf 'run %d: alive %.3f s, ready %.3f s\n' "$run" "$a" "$r"
    stop
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
printf 'median of %d: alive %.3f s, ready %.3f s (%d subjects)\n' "$runs" \
    "$(median "${alive[@]}")" "$(median "${ready[@]}")" "$subjects"
