#!/usr/bin/env bash
# Routing overhead of `routellm serve` on loopback (docs/BENCHMARKS.md, "Serving").
#
#   bench/serving-overhead.sh                      # the random router (written here)
#   bench/serving-overhead.sh artifacts/mf.zip mf  # any router zip, served under the given name
#   PROMPTS=../shared/data/routellm/mt_bench/question.jsonl REQUESTS=2000 bench/serving-overhead.sh artifacts/sw.zip sw
#
# PROMPTS: a prompts file (text, CSV or JSONL with a prompt column, as calibration reads them) whose prompts the
# requests ask in turn; default: one short sentence, numbered per request. Routers that read embeddings embed each
# request's prompt with their local MiniLM, so the prompts' length is part of what is measured.
# Starts the fake upstream (tests/RouteLLM.FakeUpstream) and the server (Release builds), then measures with
# bench/RouteLLM.LoadGen, closed loop: the fake upstream called directly, then through the server, at concurrency 1
# (latency: the server's overhead is the difference) and 32 (throughput: routing decisions/s, each one forwarded).
# Results: one JSON line per run on stdout and in $OUT/serving-overhead.jsonl; runs through the server also give the
# server process's CPU time per request (server_cpu_ms_per_request), which other work on the machine does not inflate.
# The server's per-client rate limit (600 requests/min by default) is lifted: the load generator is one client.
#
# Switches for the batching table (bench/serving-batching.sh runs them all):
#   CONCURRENCY="1 8 32 64"  only the runs through the server, non-streaming, at each of these concurrencies
#   BATCHING=on              the server embeds concurrent requests in micro-batches (RouteLLM:Server:Batching)
#   SERVER_ARGS="..."        more `routellm serve` arguments, e.g. --RouteLLM:Redis:CacheDuration=00:00:00.001
#   SKIP_BUILD=1             use the Release builds already there
#   MODEL=router-NAME-wtp-50 the model name asked for (default router-NAME-0.5); a policy name routes among the
#                            three upstreams of the README's multi-model example, priced by ../shared/data's catalogue
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/out/serving-bench}
upstream_port=${UPSTREAM_PORT:-39100}
server_port=${SERVER_PORT:-39061}
requests=${REQUESTS:-20000}
concurrency=${CONCURRENCY:-}
batching=${BATCHING:-off}
read -r -a server_args <<<"${SERVER_ARGS:-}"
[ "$batching" = off ] || server_args+=(--RouteLLM:Server:Batching:Enabled=true)
prompts=()
[ -z "${PROMPTS:-}" ] || prompts=("prompts=$(cd "$(dirname "$PROMPTS")" && pwd)/$(basename "$PROMPTS")")
mkdir -p "$out"

build() { dotnet build -c Release -v q -nologo "$root/$1" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }; }
if [ -z "${SKIP_BUILD:-}" ]; then
  build src/RouteLLM.Cli
  build tests/RouteLLM.FakeUpstream
  build bench/RouteLLM.LoadGen
fi
bin() { echo "$root/$1/bin/Release/net10.0/$2.dll"; }
loadgen() { dotnet "$(bin bench/RouteLLM.LoadGen RouteLLM.LoadGen)" "$@"; }

zip=${1:-$out/random.zip}
name=${2:-random}
[ -n "${1:-}" ] || loadgen random-router "$zip" >/dev/null

policy_args=()
if [[ "${MODEL:-}" != "" && "${MODEL}" != "router-$name-"[0-9]* ]]; then
  export BENCH_UPSTREAM_KEY=unused
  policy_args=(--catalogue "${CATALOGUE:-$root/../shared/data/models/catalogue.csv}")
  for model_at in 0:gpt-4-1106-preview 1:gpt-3.5-turbo-1106 2:mixtral-8x7b-instruct-v0.1; do
    policy_args+=("--RouteLLM:Server:Upstreams:${model_at%%:*}:BaseUrl=http://127.0.0.1:$upstream_port/v1"
      "--RouteLLM:Server:Upstreams:${model_at%%:*}:Model=${model_at#*:}"
      "--RouteLLM:Server:Upstreams:${model_at%%:*}:ApiKeyVariable=BENCH_UPSTREAM_KEY")
  done
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
dotnet "$(bin tests/RouteLLM.FakeUpstream RouteLLM.FakeUpstream)" "http://127.0.0.1:$upstream_port" >"$out/upstream.log" 2>&1 &
pids+=($!)
RouteLLM__Server__Strong__BaseUrl="http://127.0.0.1:$upstream_port/v1" RouteLLM__Server__Strong__Model=gpt-4-1106-preview \
RouteLLM__Server__Weak__BaseUrl="http://127.0.0.1:$upstream_port/v1" RouteLLM__Server__Weak__Model=mixtral-8x7b-instruct-v0.1 \
  dotnet "$(bin src/RouteLLM.Cli routellm)" serve --router "$name=$zip" --urls "http://127.0.0.1:$server_port" \
  --RouteLLM:Server:Limits:RequestsPerMinute=1000000 "${policy_args[@]}" "${server_args[@]}" >"$out/server.log" 2>&1 &
server_pid=$!
pids+=($server_pid)
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$server_port/health" >/dev/null && curl -sf -o /dev/null -X POST "http://127.0.0.1:$upstream_port/v1/chat/completions" -d '{"model":"m"}' && break
  sleep 0.2
done

model=${MODEL:-router-$name-0.5}
if [ -n "$concurrency" ]; then
  for c in $concurrency; do
    loadgen run "http://127.0.0.1:$server_port/v1" "$model" "$requests" "$c" "${prompts[@]}" cpu=$server_pid "server-c$c-batching-$batching"
  done | tee "$out/serving-overhead.jsonl"
  exit 0
fi
{
  loadgen run "http://127.0.0.1:$upstream_port/v1" direct "$requests" 1 "${prompts[@]}" direct-c1
  loadgen run "http://127.0.0.1:$server_port/v1" "$model" "$requests" 1 "${prompts[@]}" cpu=$server_pid server-c1
  loadgen run "http://127.0.0.1:$upstream_port/v1" direct "$requests" 32 "${prompts[@]}" direct-c32
  loadgen run "http://127.0.0.1:$server_port/v1" "$model" "$requests" 32 "${prompts[@]}" cpu=$server_pid server-c32
  loadgen run "http://127.0.0.1:$server_port/v1" "$model" "$((requests / 4))" 32 stream "${prompts[@]}" cpu=$server_pid server-c32-stream
} | tee "$out/serving-overhead.jsonl"
