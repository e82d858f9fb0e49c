-- wrk script: POST /v1/consents, alternately giving and withdrawing the newsletter
-- for subjects listed in SUBJECTS (one id per line, see bench/subjects.sh).
-- Usage: KEY=... SUBJECTS=bench/subjects.txt wrk -t2 -c64 -d6s -s bench/consent.lua URL
local key = os.getenv("KEY")
local ids = {}
for line in io.lines(os.getenv("SUBJECTS") or "bench/subjects.txt") do ids[#ids + 1] = line end
local i = 0

function request()
  i = i + 1
  local id = ids[(i * 7919) % #ids + 1]
  local state = (i % 2 == 0) and "given" or "withdrawn"
  local body = string.format(
    '{"subject_id":"%s","purpose":"newsletter","state":"%s","method":"api"}', id, state)
  return wrk.format("POST", "/v1/consents",
    {["authorization"] = "Bearer " .. key, ["content-type"] = "application/json"}, body)
end

function response(status)
  if status ~= 201 then error("consent answered " .. status) end
end
