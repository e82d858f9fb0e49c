-- wrk script: GET /v1/decisions for subjects listed in SUBJECTS (see bench/subjects.sh).
-- Usage: KEY=... SUBJECTS=bench/subjects.txt wrk -t2 -c64 -d6s -s bench/decide.lua URL
local key = os.getenv("KEY")
local ids = {}
for line in io.lines(os.getenv("SUBJECTS") or "bench/subjects.txt") do ids[#ids + 1] = line end
local i = 0

function request()
  i = i + 1
  return wrk.format("GET", "/v1/decisions?purpose=newsletter&subject_id=" .. ids[(i * 7919) % #ids + 1],
    {["authorization"] = "Bearer " .. key})
end

function response(status)
  if status ~= 200 then error("decision answered " .. status) end
end
