#!/usr/bin/env bash
# One HTTP benchmark from scratch: a fresh data directory, `custodia serve` on
# 127.0.0.1:18181 with the defaults (SQLite, WAL, synchronous=FULL), a dpo API key,
# 2,000 customers created beforehand, then RUNS wrk runs of SECONDS each with
# CLIENTS connections. Prints one requests/s figure per run with the server's CPU
# time per request (/proc/PID/stat), then the medians of both.
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
# The server's CPU time (user + system, in clock ticks) so far.
ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
hz=$(getconf CLK_TCK)
cpus=()
for _ in $(seq "$runs"); do
    before=$(ticks)
    out=$(wrk -t2 -c"$clients" -d"${seconds}s" -s "$root/bench/$scenario.lua" "$url")
    spent=$(($(ticks) - before))
    rate=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
    done_requests=$(awk '/requests in/ {print $1}' <<<"$out")
    # Server CPU per request: less disturbed by other work on the machine than the rate.
    cpu=$(awk -v t="$spent" -v hz="$hz" -v n="$done_requests" 'BEGIN {printf "%.1f", t / hz / n * 1e6}')
    figures+=("$rate")
    cpus+=("$cpu")
    echo "$scenario $clients clients: $rate requests/s, server CPU $cpu µs/request"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: $(median "${figures[@]}") requests/s, $(median "${cpus[@]}") µs/request"
