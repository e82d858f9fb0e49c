#!/usr/bin/env bash
# Console pages on a large installation: `custodia serve` with the defaults (SQLite,
# WAL, synchronous=FULL) trusting 127.0.0.1 as a proxy, on a data directory holding
# SUBJECTS customers (default 100,000) created through the API, 2,000 more with
# consents given for 10 s by consent.lua, and REQUESTS rights requests (default
# 10,000) through the public intake (one client address each). A DPO signs in
# through /login; each console page is then read by CLIENTS clients for SECONDS and
# its latency percentiles printed (wrk's, from every request of the run).
# With SEED=DIR, the seeded data directory is kept in DIR and reused by later runs
# (each run works on a copy), so that two builds are measured on the same data:
# seed with the older build, which the newer one migrates.
# Usage: [SEED=DIR] bench/console.sh [SUBJECTS] [REQUESTS] [CLIENTS=4] [SECONDS=10]
# Needs: wrk, curl, and `cargo build --release -p custodia`.
set -euo pipefail
subjects=${1:-100000}
requests=${2:-10000}
clients=${3:-4}
seconds=${4:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CUSTODIA_BIN:-$root/target/release/custodia}
dir=$(mktemp -d)
url=http://127.0.0.1:18182
trap 'kill ${server:-} 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT

serve() {
    CUSTODIA_TRUSTED_PROXIES=127.0.0.1/32 \
        "$bin" serve --data-dir "$dir/data" --listen 127.0.0.1:18182 >>"$dir/server.log" 2>&1 &
    server=$!
    for _ in $(seq 600); do curl -sf "$url/readyz" >/dev/null && return; sleep 0.1; done
    echo "the server did not start: $(tail -3 "$dir/server.log")" >&2
    exit 1
}

# Runs wrk with bench/SCRIPT.lua and CLIENTS connections until both its threads
# have made PER_THREAD requests (wrk itself would run its whole duration).
until_done() {
    local script=$1 connections=$2 done_dir=$dir/done-$1
    mkdir -p "$done_dir"
    DONE_DIR=$done_dir wrk -t2 -c"$connections" -d3600s -s "$root/bench/$script.lua" "$url" \
        >/dev/null &
    local wrk_pid=$!
    while [[ $(find "$done_dir" -type f | wc -l) -lt 2 ]] && kill -0 "$wrk_pid" 2>/dev/null; do
        sleep 0.5
    done
    kill "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" 2>/dev/null || true
}

if [[ -n ${SEED:-} && -f ${SEED}/seed.env ]]; then
    cp -a "$SEED/." "$dir/"
    serve
else
    "$bin" init --data-dir "$dir/data" >/dev/null
    key=$("$bin" apikeys create --data-dir "$dir/data" --role dpo --name bench | tail -1)
    password=$("$bin" users add --data-dir "$dir/data" --email dpo@bench.example --role dpo |
        sed -n 's/^password (shown once): //p')
    printf 'KEY=%q\npassword=%q\n' "$key" "$password" >"$dir/seed.env"
    export KEY=$key RUN=bench SUBJECTS=$dir/subjects.txt
    serve
    started=$(date +%s)
    PER_THREAD=$((subjects / 2)) until_done create 32
    "$root/bench/subjects.sh" "$url" 2000 "$SUBJECTS" >/dev/null
    wrk -t2 -c32 -d10s -s "$root/bench/consent.lua" "$url" >/dev/null
    PER_THREAD=$((requests / 2)) until_done intake 16
    echo "seeded $subjects + 2000 subjects, $requests requests in $(($(date +%s) - started)) s"
    if [[ -n ${SEED:-} ]]; then
        kill "$server"
        wait "$server" 2>/dev/null || true
        mkdir -p "$SEED"
        cp -a "$dir/data" "$dir/seed.env" "$dir/subjects.txt" "$SEED/"
        serve
    fi
fi
# shellcheck disable=SC1091
source "$dir/seed.env"

# Sign in as the DPO: the login form's CSRF cookie, then the form.
jar=$dir/cookies
curl -sf -c "$jar" "$url/login" >/dev/null
csrf=$(awk '$6 == "custodia_login_csrf" {print $7}' "$jar")
curl -sf -b "$jar" -c "$jar" -o /dev/null "$url/login" \
    --data-urlencode "email=dpo@bench.example" --data-urlencode "password=$password" \
    --data-urlencode "csrf=$csrf"
COOKIE="custodia_session=$(awk '$6 == "custodia_session" {print $7}' "$jar")"
export COOKIE

request=$(curl -sf -H "authorization: Bearer $KEY" "$url/v1/requests?open=true&limit=1" |
    sed -E 's/^[^[]*\[\{"id":"([^"]+)".*/\1/')
subject=$(head -1 "$dir/subjects.txt")
for page in /console /console/requests "/console/requests?status=received&page=100" \
    "/console/requests/$request" "/console/subjects/$subject?purpose=registration" \
    "/console/subjects?by=email&value=lookup-bench-7%40bench.example&purpose=registration" \
    /console/audit "/console/audit?action=subject.create" /console/retention \
    /console/register /console/breaches "/console/charts/consents.svg?purpose=newsletter" \
    /console/account; do
    PAGE=$page wrk -t1 -c"$clients" -d"${seconds}s" -s "$root/bench/page.lua" "$url" |
        grep ' p95 '
done
