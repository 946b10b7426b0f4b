-- Fails two calls deep so the traceback has frames to show.
local vc = require "voxclone"
local function inner()
  error("something broke")
end
local function outer()
  inner()
end
vc.log.info("before the error")
outer()
