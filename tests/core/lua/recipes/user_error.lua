-- User mistakes reported from bindings: one line, exit code 2; pcall can still catch them.
local vc = require "voxclone"
local a = vc.args {mode = {type = "string", required = true}}
if a.mode == "caught" then
  local ok, err = pcall(vc.fs.read_text, "/nonexistent/voxclone-test.txt")
  print(ok, err)
elseif a.mode == "fail" then
  vc.fail("dataset folder 'x' has no speakers")
else
  vc.fs.read_text("/nonexistent/voxclone-test.txt")
end
