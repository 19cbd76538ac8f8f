-- wrk script: quick-contact POSTs to the Inbeeld API on loopback (bench/care/load.py runs it).
--   wrk ... -s bench/care/contacts.lua http://127.0.0.1:PORT -- TOKEN PERSON_IDS_FILE
-- A mix like the quick form's: 10 % anonymous (POST /api/v1/contacts {"anonymous": true}), 45 % with
-- {"person_id": …} on /api/v1/contacts, 45 % on /api/v1/persons/{id}/contacts. `done` prints one line
-- "BENCH_JSON {…}" with the figures. (The request bound is load.py's: it stops wrk with SIGINT, which
-- ends the run early with a correct duration; wrk.thread:stop() would not shorten the run.)

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
  table.insert(threads, thread)
end

local token
local ids = {}
statuses = {}

local channels = { "street_zone", "street_zone", "huiskamer", "huiskamer", "phone", "office", "home_visit",
  "shelter", "online" }
local kinds = { "information", "help", "advice", "practical", "practical", "medical", "sighting", "sighting" }
local topics = { '[]', '["housing"]', '["health"]', '["income", "housing"]', '["exit", "work"]', '["safety"]',
  '["substance_use", "health"]', '["papers"]' }
local notes = { "", "", "Kort contact op straat, alles goed.", "Condooms en informatie meegegeven.",
  "Vraagt naar een afspraak bij de huisarts; doorverwezen.", "Invented bench note." }

function init(args)
  token = args[1]
  for line in io.lines(args[2]) do
    ids[#ids + 1] = line
  end
  math.randomseed(7919 * thread_number)
end

local function pick(list)
  return list[math.random(#list)]
end

function request()
  local fields = string.format('"channel": "%s", "kind": "%s", "topics": %s, "duration_minutes": %d, "note": "%s"',
    pick(channels), pick(kinds), pick(topics), 5 * math.random(1, 12), pick(notes))
  local roll = math.random(100)
  local person = pick(ids)
  local path, body
  if roll <= 10 then
    path, body = "/api/v1/contacts", '{"anonymous": true, ' .. fields .. '}'
  elseif roll <= 55 then
    path, body = "/api/v1/contacts", '{"person_id": ' .. person .. ', ' .. fields .. '}'
  else
    path, body = "/api/v1/persons/" .. person .. "/contacts", '{' .. fields .. '}'
  end
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(merged) do
    parts[#parts + 1] = string.format('"%s": %d', status, n)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"statuses": {%s}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    table.concat(parts, ", ")))
end
