#!/usr/bin/env bash
# Micro-batching of request embeddings, measured through the server (docs/BENCHMARKS.md, "Micro-batching").
#
#   bench/serving-batching.sh                 # needs jq; about 4 minutes on 2 cores
#
# The MF router (artifacts/mf.zip) through bench/serving-overhead.sh at concurrency 1, 8, 32 and 64, batching off
# and on (default window and batch size), ROUNDS times (default 3), interleaved, with two prompt sets:
#   distinct: the 1,501 MMLU prompts of ../shared/data/gold/mmlu_gold.csv asked in turn, with the server's in-memory
#             decision cache made useless (RouteLLM:Redis:CacheDuration 1 ms), so every request embeds its prompt;
#   repeated: MT-Bench's 80 first turns asked in turn, with the decision cache on as shipped, so nearly every
#             request after the first 80 is a cache hit.
# Prints the median of the rounds per (prompts, batching, concurrency), then how far batching moved the decisions of
# the distinct prompts: the server's decision log gives each request's P(strong wins), compared per prompt (its
# SHA-256) with the batching-off runs of the same round. Raw lines in $OUT/batching.jsonl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/out/serving-batching}
data=${DATA:-$root/../shared/data}
rounds=${ROUNDS:-3}
requests=${REQUESTS:-1000}
rm -rf "$out" && mkdir -p "$out"

for project in src/RouteLLM.Cli tests/RouteLLM.FakeUpstream bench/RouteLLM.LoadGen; do
  dotnet build -c Release -v q -nologo "$root/$project" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
done

for round in $(seq 1 "$rounds"); do
  for prompts in distinct repeated; do
    for batching in off on; do
      run="$out/$prompts-$batching-$round"
      args="--RouteLLM:DecisionLog:Directory=$run/decisions"
      if [ "$prompts" = distinct ]; then
        file=$data/gold/mmlu_gold.csv
        args="$args --RouteLLM:Redis:CacheDuration=00:00:00.001"
      else
        file=$data/routellm/mt_bench/question.jsonl
      fi
      OUT=$run SKIP_BUILD=1 PROMPTS=$file REQUESTS=$requests CONCURRENCY="1 8 32 64" BATCHING=$batching SERVER_ARGS="$args" \
        "$root/bench/serving-overhead.sh" "$root/artifacts/mf.zip" mf >/dev/null
      jq -c --arg prompts "$prompts" --arg batching "$batching" --argjson round "$round" \
        '{prompts: $prompts, batching: $batching, round: $round} + .' "$run/serving-overhead.jsonl" >>"$out/batching.jsonl"
    done
  done
done

echo "prompts   batching  concurrency  failures  requests/s  p50_ms  p99_ms  server_cpu_ms/request  (median of $rounds)"
jq -rs '
  def median: sort | .[(length - 1) / 2 | floor];
  group_by([.prompts, .batching, .concurrency])[]
  | [.[0].prompts, .[0].batching, .[0].concurrency, (map(.failures) | add),
     (map(.requests_per_s) | median), (map(.p50_ms) | median), (map(.p99_ms) | median), (map(.server_cpu_ms_per_request) | median)]
  | @tsv' "$out/batching.jsonl" | column -t

echo
echo "decisions of distinct prompts, batching on vs off (same round): compared, routed differently, largest |difference| of P(strong wins)"
for round in $(seq 1 "$rounds"); do
  cat "$out/distinct-off-$round"/decisions/decisions-*.jsonl >"$out/off.jsonl"
  cat "$out/distinct-on-$round"/decisions/decisions-*.jsonl >"$out/on.jsonl"
  jq -rn --arg round "$round" --slurpfile off "$out/off.jsonl" --slurpfile on "$out/on.jsonl" '
    ($off | map({key: .prompt_hash, value: .}) | from_entries) as $alone
    | [$on[] | select($alone[.prompt_hash] != null) | {route, rate: .strong_win_rate, alone: $alone[.prompt_hash]}]
    | "round \($round): \(length) compared, \(map(select(.route != .alone.route)) | length) routed differently, " +
      "max |difference| \(map(.rate - .alone.strong_win_rate | if . < 0 then -. else . end) | max)"'
done
