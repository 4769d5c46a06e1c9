#!/usr/bin/env bash
# The HTTP load test of docs/PERFORMANCE.md: records 4 paper sessions into a scratch store, starts
# `tapegrid serve` on a free loopback port, runs bench/serve_load against it, and stops the server
# by its pid, pass or fail. Arguments go to serve_load (default: 32 clients, 20,000 requests, 50
# replays). TAPEGRID and SERVE_LOAD name the binaries (default: ./build's).
set -euo pipefail
cd "$(dirname "$0")/.."
tapegrid=${TAPEGRID:-build/tapegrid}
serve_load=${SERVE_LOAD:-build/tests/serve_load}
scratch=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
# Killed by a signal (Ctrl-C, a closed pipe) the script still exits through its EXIT trap, so the
# server it started is stopped by its pid.
trap 'exit 130' INT TERM HUP PIPE

for seed in 1 2 3 4; do
  "$tapegrid" record --strategy mean_reversion --synthetic --symbols 3 --bars 20000 --seed "$seed" \
    --instance "$seed" --store "$scratch/store" --json >/dev/null
done
"$tapegrid" serve --store "$scratch/store" --port 0 --workers 32 --threads 1 >"$scratch/out" 2>"$scratch/err" &
server_pid=$!
port=
for _ in $(seq 1 500); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$scratch/out")
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/err" >&2; exit 1; }
  sleep 0.02
done
[[ -n "$port" ]] || { echo "serve_load.sh: the server did not start" >&2; exit 1; }
echo "serve_load.sh: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
if (($# == 0)); then set -- --clients 32 --requests 20000 --replays 50; fi
"$serve_load" --port "$port" "$@"
