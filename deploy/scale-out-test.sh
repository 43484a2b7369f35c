#!/usr/bin/env bash
# The proof of issue 13: three `routellm serve` replicas sharing one Redis behind nginx, on loopback only.
#
#   deploy/scale-out-test.sh            # needs redis-server, redis-cli and nginx (Debian: apt-get install -y redis-server nginx)
#
# Starts redis-server, the fake upstream (tests/RouteLLM.FakeUpstream, a real HTTP server; it reports 5 input and 3
# output tokens per answer), three replicas serving artifacts/mf.zip and nginx in front of them (passive health
# checks; connection failures and timeouts retried on the next replica, POSTs included). Then:
#   pass 1: 5,000 chat completions at concurrency 64 through nginx; meanwhile one replica gets SIGTERM (it drains)
#           and another SIGKILL; both are started again;
#   pass 2: the same 5,000 prompts again: every replica must find >= 95% of them in the shared cache.
# Must hold: 0 failed requests; Redis's spend counter = the sum of the costs the clients were told (x-routellm-cost-usd).
# The last line is one JSON object: requests, failed, p50_ms, p99_ms (pass 1), cache_hit_ratio (pass 2, the lowest
# replica's), spend_mismatch_usd, and retried_requests: how many requests nginx sent to a second replica after the
# first failed (not client retries: the load generator never retries). Exit status 0 when everything held.
# TIMEOUT_S (default 900) bounds the whole run; everything it starts is stopped on exit, also on failure or timeout.
set -euo pipefail
if [ -z "${SCALE_OUT_BOUNDED:-}" ]; then
  # SIGTERM at the limit runs the cleanup below; SIGKILL 30 s later if that hangs.
  SCALE_OUT_BOUNDED=1 exec timeout --kill-after=30 "${TIMEOUT_S:-900}" bash "$0" "$@"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
requests=${REQUESTS:-5000}
concurrency=${CONCURRENCY:-64}
pids=()
cleanup() {
  exec 2>/dev/null # not bash's "Killed" line for each process stopped here
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'log "stopped by a signal (TIMEOUT_S=${TIMEOUT_S:-900} reached?)"; exit 124' TERM INT
log() { echo "[scale-out $(date -u +%T)] $*" >&2; }
for tool in redis-server redis-cli nginx curl; do
  command -v "$tool" >/dev/null || { log "$tool is not installed (apt-get install -y redis-server nginx curl)"; exit 2; }
done

# A free loopback port: one nothing answers on, not handed out before in this run, and below the kernel's ephemeral
# range, so that no outgoing connection (nginx to a replica, a replica to redis) can take it before its server binds.
used=" "
read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range && (( ephemeral_low > 11000 )) || ephemeral_low=32768
free_port() {
  local port
  while true; do
    port=$((10000 + RANDOM % (ephemeral_low - 10000)))
    [[ $used == *" $port "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    used+="$port "
    echo "$port"
    return
  done
}

build() { dotnet build -c Release -v q -nologo "$root/$1" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }; }
build src/RouteLLM.Cli
build tests/RouteLLM.FakeUpstream
build bench/RouteLLM.LoadGen
dll() { echo "$root/$1/bin/Release/net10.0/$2.dll"; }

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$work/redis.log" 2>&1 &
pids+=($!)
upstream_port=$(free_port)
dotnet "$(dll tests/RouteLLM.FakeUpstream RouteLLM.FakeUpstream)" "http://127.0.0.1:$upstream_port" >"$work/upstream.log" 2>&1 &
pids+=($!)

ports=("$(free_port)" "$(free_port)" "$(free_port)")
replica_pids=(0 0 0)
# Behind nginx every request comes from 127.0.0.1 and carries no client key, so all clients share one per-IP rate
# limit: lifted here, as a deployment behind a proxy without client keys must (docs/DEPLOY.md).
start_replica() {
  local i=$1
  RouteLLM__Redis__Configuration="127.0.0.1:$redis_port" \
  RouteLLM__Server__Failover=true \
  RouteLLM__Server__Limits__RequestsPerMinute=1000000 \
  RouteLLM__Server__Strong__BaseUrl="http://127.0.0.1:$upstream_port/v1" RouteLLM__Server__Strong__Model=gpt-4-1106-preview \
  RouteLLM__Models__0__Model=gpt-4-1106-preview RouteLLM__Models__0__InputUsdPerMTok=10 RouteLLM__Models__0__OutputUsdPerMTok=30 RouteLLM__Models__0__AvgOutputChars=2049 \
  RouteLLM__Server__Weak__BaseUrl="http://127.0.0.1:$upstream_port/v1" RouteLLM__Server__Weak__Model=mixtral-8x7b-instruct-v0.1 \
  RouteLLM__Models__1__Model=mixtral-8x7b-instruct-v0.1 RouteLLM__Models__1__InputUsdPerMTok=0.5 RouteLLM__Models__1__OutputUsdPerMTok=1.5 RouteLLM__Models__1__AvgOutputChars=1465 \
    dotnet "$(dll src/RouteLLM.Cli routellm)" serve --router "mf=$root/artifacts/mf.zip" --urls "http://127.0.0.1:${ports[$i]}" \
    >>"$work/replica$i.log" 2>&1 &
  replica_pids[$i]=$!
  pids+=($!)
}
wait_ready() {
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:${ports[$1]}/health/ready" >/dev/null && return 0
    kill -0 "${replica_pids[$1]}" 2>/dev/null || { cat "$work/replica$1.log" >&2; log "replica $1 exited"; exit 1; }
    sleep 0.2
  done
  log "replica $1 not ready after 120 s"; cat "$work/replica$1.log" >&2; exit 1
}
# The first replica quantizes the embedder into the shared cache if it is not there yet; the others then read it.
start_replica 0; wait_ready 0
start_replica 1; start_replica 2; wait_ready 1; wait_ready 2
log "redis :$redis_port, upstream :$upstream_port, replicas :${ports[*]}"

nginx_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  # Each request's replicas ("a:p, b:p" when nginx retried it on a second one), counted at the end.
  log_format replicas '\$upstream_addr';
  access_log $work/nginx/access.log replicas;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  upstream routellm {
    # Passive health checks: a replica that failed once is left out for 2 s.
    server 127.0.0.1:${ports[0]} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${ports[1]} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${ports[2]} max_fails=1 fail_timeout=2s;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://routellm;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # The client's Host, not "routellm" (the upstream block's name), which a loopback-bound replica refuses.
      proxy_set_header Host \$host;
      # The same id on every replica a request is retried on: the spend counters count an answered request once.
      proxy_set_header X-Request-Id \$request_id;
      proxy_connect_timeout 1s;
      proxy_read_timeout 60s;
      # A chat completion is not idempotent (it costs money): retried only when the replica failed, see docs/DEPLOY.md.
      proxy_next_upstream error timeout non_idempotent;
      proxy_next_upstream_tries 3;
    }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx.conf" -g "daemon on;"

# Run in the background only: the subshell becomes the load generator, so $! is its process (stopped on exit).
loadgen() { exec dotnet "$(dll bench/RouteLLM.LoadGen RouteLLM.LoadGen)" run "http://127.0.0.1:$nginx_port/v1" router-mf-0.5 "$requests" "$concurrency" warmup=0 "$@"; }
cache_counts() { # hit and miss counts of one replica, from its Prometheus endpoint
  curl -sf "http://127.0.0.1:${ports[$1]}/metrics" | awk '
    /^routellm_cache_lookups_total\{/ && /routellm_cache_result="hit"/ { hit += $2 }
    /^routellm_cache_lookups_total\{/ && /routellm_cache_result="miss"/ { miss += $2 }
    END { printf "%d %d\n", hit, miss }'
}

log "pass 1: $requests requests at concurrency $concurrency; SIGTERM to replica 0 and SIGKILL to replica 1 on the way"
loadgen first-pass >"$work/pass1.json" &
load_pid=$!
pids+=("$load_pid")
sleep "${CHAOS_AFTER_S:-3}"
kill -TERM "${replica_pids[0]}"
sleep 1
kill -KILL "${replica_pids[1]}"
log "replica 0 draining, replica 1 killed"
wait "${replica_pids[1]}" 2>/dev/null || true
start_replica 1
wait "${replica_pids[0]}" 2>/dev/null || true
start_replica 0
wait_ready 1; wait_ready 0
log "replicas 0 and 1 back"
wait "$load_pid" || true
cat "$work/pass1.json" >&2

declare -a before
for i in 0 1 2; do before[$i]=$(cache_counts "$i"); done
log "pass 2: the same prompts again"
loadgen second-pass >"$work/pass2.json" &
load_pid=$!
pids+=("$load_pid")
wait "$load_pid" || true
cat "$work/pass2.json" >&2
sleep 0.5 # the exporter caches a scrape for 300 ms
lowest=1
for i in 0 1 2; do
  read -r hit0 miss0 <<<"${before[$i]}"
  read -r hit1 miss1 <<<"$(cache_counts "$i")"
  ratio=$(awk -v h=$((hit1 - hit0)) -v m=$((miss1 - miss0)) 'BEGIN { printf "%.4f", (h + m) ? h / (h + m) : 0 }')
  log "replica $i, pass 2: $((hit1 - hit0)) hits, $((miss1 - miss0)) misses (ratio $ratio)"
  lowest=$(awk -v a="$lowest" -v b="$ratio" 'BEGIN { print (b < a) ? b : a }')
done

field() { jq -r ".$2" "$work/$1.json"; }
nano=$(redis-cli -p "$redis_port" GET "routellm:spend:$(date -u +%F):nano-usd:global")
mismatch=$(awk -v n="${nano:-0}" -v a="$(field pass1 cost_usd)" -v b="$(field pass2 cost_usd)" 'BEGIN { printf "%.9f", n / 1e9 - (a + b) }')
failed=$(( $(field pass1 failures) + $(field pass1 warmup_failures) + $(field pass2 failures) + $(field pass2 warmup_failures) ))
retried=$(grep -c , "$work/nginx/access.log" || true)
[ "$failed" -eq 0 ] || { log "nginx's error log:"; tail -n 40 "$work/nginx/error.log" >&2; }
jq -cn --argjson requests "$((2 * requests))" --argjson failed "$failed" --argjson p50 "$(field pass1 p50_ms)" --argjson p99 "$(field pass1 p99_ms)" \
  --argjson ratio "$lowest" --argjson mismatch "$mismatch" --argjson retried "$retried" \
  '{requests: $requests, failed: $failed, p50_ms: $p50, p99_ms: $p99, cache_hit_ratio: $ratio, spend_mismatch_usd: $mismatch, retried_requests: $retried}'
[ "$failed" -eq 0 ] && awk -v r="$lowest" -v m="$mismatch" 'BEGIN { exit !(r >= 0.95 && m == 0) }'
