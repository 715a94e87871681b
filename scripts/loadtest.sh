#!/usr/bin/env bash
# The loopback load test of docs/PERFORMANCE.md: 60 s of a mixed load at 64 connections
# (scripts/mix.lua) while another client keeps posting hostile bodies, with the server's
# memory before and after. Needs wrk and curl (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o tmp/convatlas-load ./cmd/convatlas
tmp/convatlas-load serve --addr 127.0.0.1:8091 2>tmp/load-server.log &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
rss() { awk '/VmRSS/ {print $2 " kB"}' /proc/$server/status; }
echo "RSS at start: $(rss)"
# Warm up, then measure.
wrk -t2 -c16 -d5s -s scripts/mix.lua http://127.0.0.1:8091 >/dev/null
echo "RSS after warm-up: $(rss)"
bomb=$(printf 'a: &a ["l","l","l","l","l","l","l","l","l"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n')
(
  end=$((SECONDS + 60)); n=0; bad=0
  while [ $SECONDS -lt $end ]; do
    for body in "$bomb" "$(head -c 2000000 /dev/zero | tr '\0' '#')" "id: x
layers: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["; do
      code=$(printf '%s' "$body" | curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/yaml' --data-binary @- http://127.0.0.1:8091/api/analyze || true)
      n=$((n + 1)); case $code in 4*) ;; *) bad=$((bad + 1));; esac
    done
  done
  echo "hostile bodies: $n sent, $bad not answered with a 4xx"
) &
hostile=$!
wrk -t2 -c64 -d60s --latency -s scripts/mix.lua http://127.0.0.1:8091
wait $hostile
echo "RSS at the end: $(rss)"
curl -s -o /dev/null -w "healthz after the load: %{http_code}\n" http://127.0.0.1:8091/healthz
echo "5xx in the server log: $(grep -c 'status=5' tmp/load-server.log || true)"
