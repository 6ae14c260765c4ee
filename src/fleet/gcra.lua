-- GCRA (generic cell rate algorithm) with reservations, for one (upstream, tenant), evaluated
-- atomically by Redis with Redis's own clock, so the replicas' clocks do not matter.
--
-- KEYS[1]  the tenant's theoretical arrival time (TAT): microseconds on Redis's clock before
--          which no further slot is free
-- KEYS[2]  the tenant's request count of the current UTC day
-- ARGV[1]  "take" (reserve the next slot) or "hold" (a 429: no slot before now + ARGV[3])
-- ARGV[2]  the interval between slots, microseconds
-- ARGV[3]  take: the longest wait the caller accepts; hold: the wait, microseconds
-- ARGV[4]  take: requests sent while Redis was unusable, added to the day's count
--
-- take returns {wait_us, spent_today}: the slot is wait_us from now and is reserved; or
-- {-1, wait_us}: the slot is further than the caller accepts, and nothing was reserved.
-- hold returns {0, 0}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local interval = tonumber(ARGV[2])

if ARGV[1] == 'hold' then
  local untl = now + tonumber(ARGV[3])
  if untl > tat then
    -- Kept an hour past its end: an idle tenant's key expires, an active one's never does.
    local ttl_ms = math.floor((untl - now) / 1000) + 3600000
    redis.call('SET', KEYS[1], string.format('%.0f', untl), 'PX', ttl_ms)
  end
  return {0, 0}
end

local slot = math.max(tat, now)
local wait = slot - now
if wait > tonumber(ARGV[3]) then
  return {-1, wait}
end
local next_tat = slot + interval
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX',
  math.floor((next_tat - now) / 1000) + 3600000)
local spent = redis.call('INCRBY', KEYS[2], 1 + tonumber(ARGV[4]))
if spent == 1 + tonumber(ARGV[4]) then
  redis.call('EXPIRE', KEYS[2], 172800)
end
return {wait, spent}
