#!/usr/bin/env bash
# Routing overhead of `routellm serve` on loopback (docs/BENCHMARKS.md, "Serving").
#
#   bench/serving-overhead.sh                      # the random router (written here)
#   bench/serving-overhead.sh artifacts/mf.zip mf  # any router zip, served under the given name
#
# Starts the fake upstream (tests/RouteLLM.FakeUpstream) and the server (Release builds), then measures with
# bench/RouteLLM.LoadGen, closed loop: the fake upstream called directly, then through the server, at concurrency 1
# (latency: the server's overhead is the difference) and 32 (throughput: routing decisions/s, each one forwarded).
# Results: one JSON line per run on stdout and in $OUT/serving-overhead.jsonl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/out/serving-bench}
upstream_port=${UPSTREAM_PORT:-39100}
server_port=${SERVER_PORT:-39061}
requests=${REQUESTS:-20000}
mkdir -p "$out"

dotnet build -c Release -v q -nologo "$root/src/RouteLLM.Cli" >/dev/null
dotnet build -c Release -v q -nologo "$root/tests/RouteLLM.FakeUpstream" >/dev/null
dotnet build -c Release -v q -nologo "$root/bench/RouteLLM.LoadGen" >/dev/null
bin() { echo "$root/$1/bin/Release/net10.0/$2.dll"; }
loadgen() { dotnet "$(bin bench/RouteLLM.LoadGen RouteLLM.LoadGen)" "$@"; }

zip=${1:-$out/random.zip}
name=${2:-random}
[ -n "${1:-}" ] || loadgen random-router "$zip" >/dev/null

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
dotnet "$(bin tests/RouteLLM.FakeUpstream RouteLLM.FakeUpstream)" "http://127.0.0.1:$upstream_port" >"$out/upstream.log" 2>&1 &
pids+=($!)
RouteLLM__Server__Strong__BaseUrl="http://127.0.0.1:$upstream_port/v1" RouteLLM__Server__Strong__Model=gpt-4-1106-preview \
RouteLLM__Server__Weak__BaseUrl="http://127.0.0.1:$upstream_port/v1" RouteLLM__Server__Weak__Model=mixtral-8x7b-instruct-v0.1 \
  dotnet "$(bin src/RouteLLM.Cli routellm)" serve --router "$name=$zip" --urls "http://127.0.0.1:$server_port" >"$out/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$server_port/health" >/dev/null && curl -sf -o /dev/null -X POST "http://127.0.0.1:$upstream_port/v1/chat/completions" -d '{"model":"m"}' && break
  sleep 0.2
done

model="router-$name-0.5"
{
  loadgen run "http://127.0.0.1:$upstream_port/v1" direct "$requests" 1 direct-c1
  loadgen run "http://127.0.0.1:$server_port/v1" "$model" "$requests" 1 server-c1
  loadgen run "http://127.0.0.1:$upstream_port/v1" direct "$requests" 32 direct-c32
  loadgen run "http://127.0.0.1:$server_port/v1" "$model" "$requests" 32 server-c32
  loadgen run "http://127.0.0.1:$server_port/v1" "$model" "$((requests / 4))" 32 stream server-c32-stream
} | tee "$out/serving-overhead.jsonl"
