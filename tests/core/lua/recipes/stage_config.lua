-- vc.stage_config: the configuration a stage would be created with, its options checked as vc.stage checks
-- them, without running it (what a recipe's dry run prints).
local vc = require "voxclone"
local a = vc.args {mode = {type = "string", default = "ok"}}
if a.mode == "ok" then
  local c = vc.stage_config("lua_test_stage", {checkpoint = "w.pt", steps = 5, names = {"a", "b"}})
  print(c.steps, c.rate, #c.names, c.names[2], c.checkpoint, c.runs)
  print(vc.stage("lua_test_stage", {steps = 2}).runs)
elseif a.mode == "bad_key" then
  vc.stage_config("lua_test_stage", {stepz = 1})
elseif a.mode == "bad_type" then
  vc.stage_config("lua_test_stage", {steps = "five"})
elseif a.mode == "bad_name" then
  vc.stage_config("no_such_stage")
end
