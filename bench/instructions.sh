#!/usr/bin/env bash
# Instructions the server executes per request, counted by valgrind's callgrind:
# unlike time, the count barely moves with what else runs on the machine, so two
# builds can be compared to within a percent on a shared machine.
# A fresh data directory, `custodia serve` under callgrind (counting off), 2,000
# customers, a 3 s warm-up, then counting on for one wrk run of SECONDS with 4
# connections. Prints the requests made and instructions per request.
# Usage: CUSTODIA_BIN=... bench/instructions.sh lookup|consent|create|decide [SECONDS=15] [OUT]
# OUT keeps the callgrind profile (OUT.cg.1) for callgrind_annotate.
# Needs: valgrind, wrk, curl.
set -euo pipefail
scenario=${1:?usage: bench/instructions.sh lookup|consent|create|decide [SECONDS] [OUT]}
seconds=${2:-15}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CUSTODIA_BIN:-$root/target/release/custodia}
dir=$(mktemp -d)
out=${3:-$dir/profile}
url=http://127.0.0.1:18182
trap 'kill ${server:-} 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT

"$bin" init --data-dir "$dir/data" >/dev/null
KEY=$("$bin" apikeys create --data-dir "$dir/data" --role dpo --name bench | tail -1)
export KEY RUN=bench SUBJECTS=$dir/subjects.txt
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out.cg" \
    "$bin" serve --data-dir "$dir/data" --listen 127.0.0.1:18182 >"$dir/server.log" 2>"$dir/valgrind.log" &
server=$!
for _ in $(seq 600); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.2; done
"$root/bench/subjects.sh" "$url" 2000 "$SUBJECTS" >/dev/null
wrk -t1 -c4 -d3s -s "$root/bench/$scenario.lua" "$url" >/dev/null
callgrind_control -i on "$server" >/dev/null 2>&1
result=$(wrk -t1 -c4 -d"${seconds}s" -s "$root/bench/$scenario.lua" "$url")
callgrind_control -i off "$server" >/dev/null 2>&1
callgrind_control -d "$server" >/dev/null 2>&1
for _ in $(seq 50); do [ -s "$out.cg.1" ] && break; sleep 0.2; done
sleep 0.5
requests=$(awk '/requests in/ {print $1}' <<<"$result")
instructions=$(callgrind_annotate "$out.cg.1" 2>/dev/null |
    awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "$scenario requests=$requests instructions/request=$((instructions / requests))"
