#!/usr/bin/env bash
# One instance against two on one PostgreSQL database (issue 18): a fresh database
# on the server at ADMIN_URL, a data directory pointing at it, 2,000 customers, then
# for each scenario (consent writes, decisions, lookups) RUNS wrk runs of SECONDS
# with CLIENTS connections: first all against instance A alone, then with instance B
# started on the same database, CLIENTS/2 against each at once (the sum is printed).
# Prints one requests/s figure per run, then the medians.
# Usage: bench/instances.sh ADMIN_URL [CLIENTS=32] [RUNS=3] [SECONDS=8]
# ADMIN_URL: postgres://USER@HOST:PORT/postgres, allowed to create databases.
# Needs: wrk, curl, psql, and `cargo build --release -p custodia` (or CUSTODIA_BIN).
set -euo pipefail
admin=${1:?usage: bench/instances.sh ADMIN_URL [CLIENTS] [RUNS] [SECONDS]}
clients=${2:-32}
runs=${3:-3}
seconds=${4:-8}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CUSTODIA_BIN:-$root/target/release/custodia}
dir=$(mktemp -d)
name=bench_instances_$$
url=${admin%/*}/$name
a=http://127.0.0.1:18181
b=http://127.0.0.1:18182
cleanup() {
    kill ${server_a:-} ${server_b:-} 2>/dev/null || true
    wait 2>/dev/null || true
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

psql -q "$admin" -c "CREATE DATABASE $name" >/dev/null
"$bin" init --data-dir "$dir/data" >/dev/null
sed -i "s|^database_url = .*|database_url = \"$url\"|" "$dir/data/config.toml"
KEY=$("$bin" apikeys create --data-dir "$dir/data" --role dpo --name bench | tail -1)
export KEY RUN=bench SUBJECTS=$dir/subjects.txt
serve() {
    "$bin" serve --data-dir "$dir/data" --listen "127.0.0.1:$1" >>"$dir/server-$1.log" 2>&1 &
}
ready() {
    for _ in $(seq 300); do curl -sf "$1/readyz" >/dev/null && return; sleep 0.1; done
    echo "$1 not ready" >&2
    exit 1
}
serve 18181
server_a=$!
ready "$a"
"$root/bench/subjects.sh" "$a" 2000 "$SUBJECTS" >/dev/null

rate() { # URL CLIENTS SCENARIO
    wrk -t1 -c"$2" -d"${seconds}s" -s "$root/bench/$3.lua" "$1" |
        awk '/Requests\/sec/ {printf "%d", $2}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A one two
scenarios=(consent decide lookup)
for scenario in "${scenarios[@]}"; do
    figures=()
    for _ in $(seq "$runs"); do
        figures+=("$(rate "$a" "$clients" "$scenario")")
        echo "one instance, $scenario: ${figures[-1]} requests/s"
    done
    one[$scenario]=$(printf '%s\n' "${figures[@]}" | median)
done
serve 18182
server_b=$!
ready "$b"
half=$((clients / 2))
for scenario in "${scenarios[@]}"; do
    figures=()
    for _ in $(seq "$runs"); do
        rate "$a" "$half" "$scenario" >"$dir/rate-a" &
        first=$!
        rate "$b" "$half" "$scenario" >"$dir/rate-b"
        wait "$first"
        sum=$(($(cat "$dir/rate-a") + $(cat "$dir/rate-b")))
        figures+=("$sum")
        echo "two instances, $scenario: $sum requests/s ($(cat "$dir/rate-a") + $(cat "$dir/rate-b"))"
    done
    two[$scenario]=$(printf '%s\n' "${figures[@]}" | median)
done
for scenario in "${scenarios[@]}"; do
    echo "median $scenario: one instance ${one[$scenario]}, two instances ${two[$scenario]} requests/s"
done
