# 64 concurrent 4 MB chat bodies against a running routellm serve (docs/SECURITY.md); prints the server's peak and final RSS (MiB).
import http.client, json, sys, threading, time
pid, port = int(sys.argv[1]), int(sys.argv[2])
body = json.dumps({"model": "router-random-0.5", "messages": [{"role": "user", "content": "x" * (4 * 1024 * 1024 - 200)}]}).encode()
def rss(field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field): return int(line.split()[1]) // 1024
statuses = []
def send():
    for _ in range(4):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        c.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
        r = c.getresponse(); r.read(); statuses.append(r.status); c.close()
print("before", rss("VmRSS:"))
threads = [threading.Thread(target=send) for _ in range(64)]
[t.start() for t in threads]; [t.join() for t in threads]
time.sleep(5)
print("statuses", {s: statuses.count(s) for s in set(statuses)}, "peak", rss("VmHWM:"), "after", rss("VmRSS:"))
