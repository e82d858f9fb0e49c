-- wrk script: rights requests through the public intake (POST /v1/requests), each
-- from its own client address (X-Forwarded-For; the server trusts 127.0.0.1 as a
-- proxy) so that the per-address limit admits them; every fifth is an erasure.
-- Each thread stops after PER_THREAD accepted requests.
-- Usage: PER_THREAD=5000 wrk -t2 -c16 -d600s -s bench/intake.lua http://127.0.0.1:8080
local counter = 0
local accepted = 0
local thread_id = 0
local per_thread = tonumber(os.getenv("PER_THREAD") or "5000")

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

-- wrk runs for its whole duration even when every thread has stopped: a thread
-- that is done leaves a file in DONE_DIR for the caller to count and stop wrk.
local function finish()
  local dir = os.getenv("DONE_DIR")
  if dir then
    local f = io.open(dir .. "/" .. tid, "w")
    if f then f:close() end
  end
  wrk.thread:stop()
end

function request()
  counter = counter + 1
  local kind = (counter % 5 == 0) and "erasure" or "access"
  local body = string.format(
    '{"kind":"%s","email":"intake-%d-%d@bench.example"}', kind, tid, counter)
  local address = string.format("10.%d.%d.%d", tid, math.floor(counter / 250) % 250, counter % 250)
  return wrk.format("POST", "/v1/requests",
    {["content-type"] = "application/json", ["x-forwarded-for"] = address}, body)
end

function response(status)
  if status ~= 202 then error("intake answered " .. status) end
  accepted = accepted + 1
  if accepted >= per_thread then finish() end
end
