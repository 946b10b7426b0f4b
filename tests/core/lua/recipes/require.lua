-- require: <recipe dir>/lib, the repository's recipes/lib, and "voxclone" itself.
local vc = require "voxclone"
local helper = require "test_helper"
local util = require "recipe_util"
local a = vc.args {mode = {type = "string", default = "ok"}}
print(helper.greet("lua"))
print("same module", require "voxclone" == vc)
print("lines", table.concat(util.read_lines(vc.fs.join(vc.recipe_dir, "texts.txt")), "|"))
print("time", util.format_seconds(59.6), util.format_seconds(3725))
if a.mode == "missing_dir" then
  util.require_dir(vc.fs.join(vc.recipe_dir, "no_such_folder"), "dataset folder")
elseif a.mode == "missing_module" then
  require "no_such_module"
end
