-- A seeded random stream (SplitMix64 on Lua's 64-bit integers) that gives the same numbers on every
-- platform and Lua 5.4 release, unlike math.random, whose mapping to ranges changed between releases.
local M = {}
M.__index = M

local function mix(z)
  z = (z ~ (z >> 30)) * -4658895280553007687  -- 0xBF58476D1CE4E5B9
  z = (z ~ (z >> 27)) * -7723592293110705685  -- 0x94D049BB133111EB
  return z ~ (z >> 31)
end

local kGolden = -7046029254386353131  -- 0x9E3779B97F4A7C15

--- A stream from one or more integers: new(seed), new(seed, speaker_index), ... Streams made from
--- different key lists are independent, so adding speakers does not change the earlier ones.
function M.new(...)
  local state = 0
  for i = 1, select("#", ...) do
    local key = select(i, ...)
    state = mix(state + kGolden + math.tointeger(key))
  end
  return setmetatable({ state = state }, M)
end

--- The next 64-bit value.
function M:next64()
  self.state = self.state + kGolden
  return mix(self.state)
end

--- An integer in [lo, hi] (the modulo bias is below 2^-40 for the ranges used here).
function M:int(lo, hi)
  assert(hi >= lo, "empty range")
  return lo + math.tointeger((self:next64() >> 11) % (hi - lo + 1))
end

--- A number in [lo, hi).
function M:uniform(lo, hi)
  return lo + (hi - lo) * ((self:next64() >> 11) / 9007199254740992.0)
end

--- True with probability p.
function M:chance(p)
  return self:uniform(0, 1) < p
end

--- One element of a non-empty list.
function M:pick(list)
  return list[self:int(1, #list)]
end

--- A shuffled copy of `list` (Fisher–Yates).
function M:shuffled(list)
  local out = table.move(list, 1, #list, 1, {})
  for i = #out, 2, -1 do
    local j = self:int(1, i)
    out[i], out[j] = out[j], out[i]
  end
  return out
end

return M
