-- wrk script for benchmarks/pages.py: sends the signed-in session's cookie (and, for the sign-in flow, a
-- form POST), and prints one JSON line of results (latencies in milliseconds) that pages.py reads back.
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
if os.getenv("BENCH_METHOD") == "POST" then
  wrk.method = "POST"
  wrk.body = os.getenv("BENCH_BODY")
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "rps": %.3f, "p50": %.2f, "p95": %.2f, "p99": %.2f, '
      .. '"max": %.2f, "non_2xx_3xx": %d, "timeouts": %d, "socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status, summary.errors.timeout,
    summary.errors.connect + summary.errors.read + summary.errors.write))
  -- Every latency recorded (microseconds) with how many times: pages.py pools several runs' percentiles.
  local seen = {}
  local i = 1
  while true do
    local value, count = latency(i)
    if value == nil or value == 0 then break end
    seen[#seen + 1] = string.format("[%d,%d]", value, count)
    i = i + 1
  end
  io.write("BENCH_LATENCIES [" .. table.concat(seen, ",") .. "]\n")
end
