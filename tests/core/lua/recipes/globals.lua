-- Strict globals: reading or assigning an undeclared global raises.
local vc = require "voxclone"
local a = vc.args {mode = {type = "string", required = true}}
if a.mode == "read" then
  print(undefined_thing)
elseif a.mode == "write" then
  new_global = 1
else
  rawset(_G, "declared_on_purpose", 1)
  print("declared", declared_on_purpose, type(print))
end
