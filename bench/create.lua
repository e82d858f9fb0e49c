-- wrk script: POST /v1/subjects with a unique e-mail per request.
-- With PER_THREAD set, each thread stops after that many.
-- Usage: KEY=... wrk -t2 -c64 -d10s -s bench/create.lua http://127.0.0.1:8080
local counter = 0
local created = 0
local per_thread = tonumber(os.getenv("PER_THREAD") or "0")
local thread_id = 0
local key = os.getenv("KEY")

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
  local body = string.format(
    '{"kind":"customer","data":{"user.contact.email":"w%d-%d-%d@bench.example","user.name.first":"Wrk","user.name.last":"Client"}}',
    tid, counter, os.time())
  return wrk.format("POST", "/v1/subjects",
    {["authorization"] = "Bearer " .. key, ["content-type"] = "application/json"}, body)
end

function response(status)
  if status ~= 201 then error("create answered " .. status) end
  created = created + 1
  if per_thread > 0 and created >= per_thread then finish() end
end
