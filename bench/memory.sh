#!/usr/bin/env bash
# Resident memory and decisions/s of `custodia serve` (SQLite, the defaults) on a
# grown data directory: the server is started on a fresh copy of DATA_DIR RUNS times
# (default 3); each run waits for /readyz, reads VmRSS from /proc/PID/status, then
# runs wrk with bench/decide.lua (CLIENTS connections, default 64, SECONDS each,
# default 6; 0: no wrk run) over 20,000 subject ids drawn from the directory. With DATA_DIR `empty`,
# a fresh directory with no subject (the baseline to subtract) and no wrk run.
# Grow DATA_DIR once with the older build (`custodia-loadgen URL KEY grow CLIENTS
# SUBJECTS`) and measure every build on copies of it; KEY is a dpo key of DATA_DIR.
# Usage: [CUSTODIA_BIN=...] KEY=... bench/memory.sh DATA_DIR|empty [RUNS] [SECONDS] [CLIENTS]
# Needs: wrk, curl, sqlite3, and `cargo build --release -p custodia`.
set -euo pipefail
source_dir=${1:?usage: KEY=... bench/memory.sh DATA_DIR|empty [RUNS] [SECONDS] [CLIENTS]}
runs=${2:-3}
seconds=${3:-6}
clients=${4:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CUSTODIA_BIN:-$root/target/release/custodia}
dir=$(mktemp -d)
url=http://127.0.0.1:18184
trap 'kill ${server:-} 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT

if [[ $source_dir != empty ]]; then
    sqlite3 "$source_dir/custodia.db" \
        "SELECT id FROM subjects ORDER BY random() LIMIT 20000" >"$dir/subjects.txt"
fi
for _ in $(seq "$runs"); do
    rm -rf "$dir/data"
    if [[ $source_dir == empty ]]; then
        "$bin" init --data-dir "$dir/data" >/dev/null
    else
        cp -a "$source_dir" "$dir/data"
    fi
    started=$(date +%s.%N)
    "$bin" serve --data-dir "$dir/data" --listen 127.0.0.1:18184 >>"$dir/server.log" 2>&1 &
    server=$!
    until curl -sf "$url/readyz" >/dev/null; do sleep 0.05; done
    ready=$(date +%s.%N)
    sleep 1
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
    line="rss_kib=$rss ready_s=$(echo "$ready - $started" | bc)"
    if [[ $source_dir != empty && $seconds != 0 ]]; then
        rate=$(KEY=$KEY SUBJECTS=$dir/subjects.txt \
            wrk -t2 -c"$clients" -d"${seconds}s" -s "$root/bench/decide.lua" "$url" |
            awk '/Requests\/sec/ {printf "%d", $2}')
        line="$line decisions_per_s=$rate"
    fi
    echo "$line"
    kill "$server"
    wait "$server" 2>/dev/null || true
done
