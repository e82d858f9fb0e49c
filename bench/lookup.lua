-- wrk script: GET /v1/subjects?email=... over subjects created beforehand by
-- bench/subjects.sh (or custodia-loadgen): lookup-RUN-I@bench.example, I < 2000.
-- Usage: KEY=... RUN=... wrk -t2 -c64 -d10s -s bench/lookup.lua http://127.0.0.1:8080
local key = os.getenv("KEY")
local run = os.getenv("RUN")
local i = 0

function request()
  i = (i + 7919) % 2000
  return wrk.format("GET", "/v1/subjects?email=lookup-" .. run .. "-" .. i .. "@bench.example",
    {["authorization"] = "Bearer " .. key})
end

function response(status)
  if status ~= 200 then error("lookup answered " .. status) end
end
