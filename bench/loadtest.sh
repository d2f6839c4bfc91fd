#!/usr/bin/env bash
# `make loadtest`: `make serve` on loopback, then wrk with a mix of pages and API reads for a
# bounded time. Any error fails it; 429s from the anonymous API throttle are counted apart.
#   LOAD_SECONDS=20 LOAD_CONNECTIONS=16 make loadtest
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { echo "loadtest: install wrk (apt-get install wrk)" >&2; exit 1; }
port=${LOAD_PORT:-8001}
database=$(mktemp -d /tmp/loopwatch-load.XXXXXX)
export DATABASE_URL="sqlite:///$database/db.sqlite3"

make serve HOST="127.0.0.1:$port" >"$database/serve.log" 2>&1 &
server=$!
trap 'kill -- -$server 2>/dev/null || kill $server 2>/dev/null; pkill -f "gunicorn config.wsgi --bind 127.0.0.1:$port" || true; rm -rf "$database"' EXIT

for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/health/" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health/" >/dev/null || { cat "$database/serve.log"; exit 1; }

wrk --threads 2 --connections "${LOAD_CONNECTIONS:-16}" --duration "${LOAD_SECONDS:-20}s" \
  --timeout 10s --latency --script bench/loadtest.lua "http://127.0.0.1:$port"
