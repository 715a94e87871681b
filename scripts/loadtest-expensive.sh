#!/usr/bin/env bash
# The load test of issue 13 (docs/PERFORMANCE.md): 60 s at 64 connections over the most
# expensive answers (scripts/expensive.lua), the server's resident memory sampled every
# 5 s. Needs wrk and curl (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p tmp
go build -o tmp/convatlas-load ./cmd/convatlas
tmp/convatlas-load serve --addr 127.0.0.1:8092 2>tmp/load-expensive.log &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
rss() { awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$server/status; }
peak() { awk '/VmHWM/ {print $2 / 1024 " MB"}' /proc/$server/status; }
echo "RSS at start: $(rss)"
wrk -t2 -c16 -d5s -s scripts/expensive.lua http://127.0.0.1:8092 >/dev/null
echo "RSS after a 5 s warm-up: $(rss)"
( for t in $(seq 5 5 60); do sleep 5; echo "RSS at ${t} s: $(rss)"; done ) &
sampler=$!
wrk -t2 -c64 -d60s --latency --timeout 30s -s scripts/expensive.lua http://127.0.0.1:8092
wait $sampler || true
echo "RSS at the end: $(rss), peak $(peak)"
echo "CPU time of the server: $(awk '{print ($14 + $15) / 100 " s"}' /proc/$server/stat)"
curl -s -o /dev/null -w "healthz after the load: %{http_code}\n" http://127.0.0.1:8092/healthz
echo "5xx in the server log: $(grep -c 'status=5' tmp/load-expensive.log || true)"
