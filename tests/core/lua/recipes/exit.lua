-- os.exit ends the recipe with its code even inside pcall; a returned integer is the exit code too.
local vc = require "voxclone"
local a = vc.args {mode = {type = "string", required = true}}
if a.mode == "exit" then
  print(pcall(os.exit, 3))
  print("not reached")
elseif a.mode == "coroutine" then
  local co = coroutine.create(function() os.exit(5) end)
  print(coroutine.resume(co))
  print("not reached")
end
return 4
