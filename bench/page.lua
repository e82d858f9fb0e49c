-- wrk script: GET one console page (PAGE) with a staff session (COOKIE); prints the
-- latency percentiles after the run. Any answer but 200 stops the run.
-- Usage: PAGE=/console COOKIE='custodia_session=...' wrk -t1 -c4 -d10s -s bench/page.lua URL
local page = os.getenv("PAGE")
local cookie = os.getenv("COOKIE")

function request()
  return wrk.format("GET", page, {["cookie"] = cookie})
end

function response(status)
  if status ~= 200 then error(page .. " answered " .. status) end
end

function done(summary, latency, requests)
  io.write(string.format("%s p50 %.1f ms p95 %.1f ms p99 %.1f ms (%d requests)\n", page,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests))
end
