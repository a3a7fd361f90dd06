-- One wrk script for every HTTP measure of the benchmark (bench/server.py sets the
-- environment). GET or form POST; with BENCH_TOKENS each request appends the next line of
-- its thread (fields of one submission: a one-time form token, its institution); BENCH_ACK is a Lua pattern whose capture in a 200 answer is
-- an acknowledgement (a receipt code, a row id), all written to BENCH_ACKS at the end.
-- BENCH_DELAY_MS holds each connection back between requests (a rate below saturation).

local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local cookie = os.getenv("BENCH_COOKIE") or ""
local fields = os.getenv("BENCH_BODY") or ""
local tokens_path = os.getenv("BENCH_TOKENS") or ""
local ack_pattern = os.getenv("BENCH_ACK") or ""
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")

local threads = {}
local made = 0

function setup(thread)
  made = made + 1
  thread:set("id", made)
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  if tokens_path ~= "" then
    local i = 0
    for line in io.lines(tokens_path) do
      if i % nthreads == id - 1 then
        table.insert(tokens, line)
      end
      i = i + 1
    end
  end
  sent = 0
  acks = {}
  nacks = 0
  statuses = {}
  if cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
  if method == "POST" then
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

function request()
  sent = sent + 1
  -- one address per request: the form's per-client throttle sees many citizens behind
  -- one proxy (the server runs with TRUSTED_PROXY_HOPS=1), as in production
  -- (wrk.format takes these headers instead of wrk.headers, not on top of them)
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", id, math.floor(sent / 250) % 250, sent % 250)
  if method ~= "POST" then
    return wrk.format("GET", path, headers)
  end
  local body = fields
  if tokens_path ~= "" then
    body = body .. "&" .. (tokens[sent] or "form_token=exhausted")
  end
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if ack_pattern ~= "" and status == 200 then
    local ack = string.match(body, ack_pattern)
    if ack then
      nacks = nacks + 1
      acks[nacks] = ack
    end
  end
end

function delay()
  return delay_ms
end

function done(summary, latency, requests)
  local counts = {}
  local ackfile = os.getenv("BENCH_ACKS")
  local ackout = nil
  if ackfile and ackfile ~= "" then
    ackout = io.open(ackfile, "w")
  end
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
    if ackout then
      for _, ack in ipairs(thread:get("acks")) do
        ackout:write(ack, "\n")
      end
    end
  end
  if ackout then
    ackout:close()
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  local out = io.open(os.getenv("WRK_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "statuses": {%s}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "mean": %.1f, "max": %d}}',
    summary.requests, summary.duration, summary.bytes, table.concat(parts, ", "),
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max))
  out:close()
end
