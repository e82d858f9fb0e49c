#!/usr/bin/env bash
# One HTTP benchmark from scratch: a fresh data directory, `custodia serve` on
# 127.0.0.1:18181 with the defaults (SQLite, WAL, synchronous=FULL), a dpo API key,
# 2,000 customers created beforehand, then RUNS wrk runs of SECONDS each with
# CLIENTS connections. Prints one requests/s figure per run, then the median.
# Usage: bench/http.sh create|lookup|consent|decide CLIENTS [RUNS=3] [SECONDS=6]
# Needs: wrk, curl, and `cargo build --release -p custodia`.
set -euo pipefail
scenario=${1:?usage: bench/http.sh create|lookup|consent|decide CLIENTS [RUNS] [SECONDS]}
clients=${2:?CLIENTS}
runs=${3:-3}
seconds=${4:-6}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CUSTODIA_BIN:-$root/target/release/custodia}
dir=$(mktemp -d)
url=http://127.0.0.1:18181
trap 'kill ${server:-} 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT

"$bin" init --data-dir "$dir/data" >/dev/null
KEY=$("$bin" apikeys create --data-dir "$dir/data" --role dpo --name bench | tail -1)
export KEY RUN=bench SUBJECTS=$dir/subjects.txt
"$bin" serve --data-dir "$dir/data" --listen 127.0.0.1:18181 >"$dir/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done
"$root/bench/subjects.sh" "$url" 2000 "$SUBJECTS" >/dev/null

figures=()
for _ in $(seq "$runs"); do
    rate=$(wrk -t2 -c"$clients" -d"${seconds}s" -s "$root/bench/$scenario.lua" "$url" |
        awk '/Requests\/sec/ {printf "%d", $2}')
    figures+=("$rate")
    echo "$scenario $clients clients: $rate requests/s"
done
printf '%s\n' "${figures[@]}" | sort -n | awk '{a[NR]=$1} END {print "median: " a[int((NR+1)/2)]}'
