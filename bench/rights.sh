#!/usr/bin/env bash
# Rights requests end to end (issue 18, item 4): a fresh data directory, `custodia
# serve` on 127.0.0.1:18181 sending its mail to an SMTP server on 127.0.0.1:18125
# that the harness runs itself (`crates/custodia-loadgen/examples/rights.rs`), a dpo
# API key, then ROUNDS access requests one after another: submit, code letter,
# verify, complete, package letter. Prints each round and the medians.
# Usage: bench/rights.sh [ROUNDS=30]
# Needs: curl, `cargo build --release -p custodia` and
# `cargo build --release -p custodia-loadgen --example rights`.
set -euo pipefail
rounds=${1:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CUSTODIA_BIN:-$root/target/release/custodia}
harness=${RIGHTS_BIN:-$root/target/release/examples/rights}
dir=$(mktemp -d)
url=http://127.0.0.1:18181
trap 'kill ${server:-} 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT

"$bin" init --data-dir "$dir/data" >/dev/null
KEY=$("$bin" apikeys create --data-dir "$dir/data" --role dpo --name bench | tail -1)
cat >>"$dir/data/config.toml" <<TOML

[smtp]
host = "127.0.0.1"
port = 18125
security = "none"
from = "Privacy <privacy@bench.example>"
TOML
CUSTODIA_TRUSTED_PROXIES=127.0.0.1/32 \
    "$bin" serve --data-dir "$dir/data" --listen 127.0.0.1:18181 >"$dir/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.1; done
"$harness" "$url" "$KEY" 18125 "$rounds"
