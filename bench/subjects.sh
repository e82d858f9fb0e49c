#!/usr/bin/env bash
# Creates N customers (default 2000) through the API, with the e-mails
# lookup-RUN-I@bench.example (I < N) that bench/lookup.lua asks for, and writes their
# ids, one per line, to FILE (default bench/subjects.txt) for bench/consent.lua and
# bench/decide.lua.
# Usage: KEY=... [RUN=...] bench/subjects.sh http://127.0.0.1:8080 [N] [FILE]
set -euo pipefail
url=${1:?usage: KEY=... bench/subjects.sh URL [N] [FILE]}
n=${2:-2000}
file=${3:-bench/subjects.txt}
run=${RUN:-$$}
: >"$file"
for i in $(seq 0 $((n - 1))); do
    created=$(curl -sf -X POST "$url/v1/subjects" -H "authorization: Bearer $KEY" \
        -H 'content-type: application/json' \
        -d "{\"kind\":\"customer\",\"data\":{\"user.contact.email\":\"lookup-$run-$i@bench.example\"}}")
    sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$created" >>"$file"
done
echo "$(wc -l <"$file") subject ids in $file (RUN=$run)"
