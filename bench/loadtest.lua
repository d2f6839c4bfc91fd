-- A mix of public pages and API reads; status codes counted per thread, summed at the end.
local paths = {
  "/", "/?as_of=2024-02-10", "/markets/", "/markets/DE/", "/events/", "/sellers/",
  "/sources/", "/search/?q=%E7%A7%81%E5%9F%9F", "/events/feed/",
  "/api/mode-events/", "/api/seller-cases/?city=Shenzhen", "/api/status/?as_of=2024-06-01",
  "/api/markets/DE/", "/api/sources/",
}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, throttled, other = 0, 0, 0
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status == 429 then
    throttled = throttled + 1
  elseif status >= 200 and status < 400 then
    ok = ok + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local total_ok, total_throttled, total_other = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_throttled = total_throttled + thread:get("throttled")
    total_other = total_other + thread:get("other")
  end
  local errors = summary.errors
  io.write(string.format(
    "responses: %d ok, %d throttled (429, counted apart), %d errors; socket errors: %d\n",
    total_ok, total_throttled, total_other,
    errors.connect + errors.read + errors.write + errors.timeout))
  io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000))
  if total_other > 0 or errors.connect + errors.read + errors.write + errors.timeout > 0 then
    io.write("LOAD TEST FAILED: errors other than throttling\n")
    os.exit(1)
  end
end
