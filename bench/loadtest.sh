#!/usr/bin/env bash
# `make loadtest`: `make serve` on loopback, then wrk with a mix of pages and API reads for a
# bounded time. Any error fails it; 429s from the anonymous API throttle are counted apart.
# Then the mixed run: readers through nginx (bin/with-proxy) alone, and again while four
# analysts write through the API (bench/writers.py, each one write a second, or
# LOAD_WRITE_INTERVAL seconds apart; 0 writes flat out); it prints the readers' throughput
# with writers against without, and fails on any error or any write missing afterwards.
#   LOAD_SECONDS=20 LOAD_CONNECTIONS=16 make loadtest        (SQLite)
#   make loadtest DB=postgres                                (PostgreSQL, with its replica)
set -euo pipefail
cd "$(dirname "$0")/.."

command -v wrk >/dev/null || { echo "loadtest: install wrk (apt-get install wrk)" >&2; exit 1; }
port=${LOAD_PORT:-8001}
database=$(mktemp -d /tmp/loopwatch-load.XXXXXX)
export DATABASE_URL=${DATABASE_URL:-"sqlite:///$database/db.sqlite3"}
proxy_port=${LOAD_PROXY_PORT:-8081}
seconds=${LOAD_SECONDS:-20}

# The readers are the load, not abusers: the anonymous throttle would answer most of them
# 429 from one loopback address.
LOOPWATCH_API_ANON_RATE=1000000/minute LOOPWATCH_API_TOKEN_RATE=1000000/minute \
  PROXY="127.0.0.1:$proxy_port" UPSTREAM="127.0.0.1:$port" LOOPWATCH_TRUSTED_PROXIES=1 \
  setsid bin/with-proxy make serve HOST="127.0.0.1:$port" >"$database/serve.log" 2>&1 &
server=$!
writers=
# Only what this script started, by id: the server's whole session (setsid made it a
# process group: nginx, gunicorn and its workers, the task runner, the mail catcher),
# and the writers; never a search by name, which may find someone else's.
stop_started() {
  kill -TERM -- "-$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  if [ -n "$writers" ]; then
    kill "$writers" 2>/dev/null || true
    wait "$writers" 2>/dev/null || true
  fi
  rm -rf "$database"
}
trap stop_started EXIT

for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/health/" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health/" >/dev/null || { cat "$database/serve.log"; exit 1; }

read_load() {
  wrk --threads 2 --connections "${LOAD_CONNECTIONS:-16}" --duration "${seconds}s" \
    --timeout 10s --latency --script bench/loadtest.lua "$1"
}
rate() { awk '/^Requests\/sec/ {print $2}' "$1"; }

echo "== readers straight to gunicorn"
read_load "http://127.0.0.1:$port"

tokens=$(DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python manage.py shell --no-imports -c "
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
for n in range(4):
    user, _ = User.objects.get_or_create(username=f'load-analyst-{n}', is_staff=True)
    user.groups.add(Group.objects.get(name='Editor'))
    print(Token.objects.get_or_create(user=user)[0].key)
")

echo "== readers through nginx, alone"
read_load "http://127.0.0.1:$proxy_port" | tee "$database/alone.txt"
echo "== readers through nginx while four analysts write through the API"
.venv/bin/python bench/writers.py "http://127.0.0.1:$proxy_port" "$seconds" $tokens \
  >"$database/writers.txt" &
writers=$!
read_load "http://127.0.0.1:$proxy_port" | tee "$database/mixed.txt"
written=0
wait "$writers" || written=$?
writers=  # ended and reaped: its id may be someone else's now
[ "$written" = 0 ] || { cat "$database/writers.txt"; echo "LOAD TEST FAILED: writers"; exit 1; }
cat "$database/writers.txt"
awk -v alone="$(rate "$database/alone.txt")" -v mixed="$(rate "$database/mixed.txt")" \
  'BEGIN { printf "read throughput with writers: %.0f of %.0f requests/s without, %.0f%%\n",
           mixed, alone, 100 * mixed / alone }'
