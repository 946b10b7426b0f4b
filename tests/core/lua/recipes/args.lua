-- Declares one argument of every type and prints what vc.args returns, one line each.
local vc = require "voxclone"
local a = vc.args {
  description = "Prints its arguments.",
  count = {type = "int", default = 3, help = "how many"},
  rate = {type = "number", default = 0.5, help = "a rate"},
  name = {type = "string", default = "world"},
  fast = {type = "bool", default = false, help = "go fast"},
  out = {type = "path", required = true, help = "output folder"},
  langs = {type = "list", default = {"en", "zh"}, help = "languages"},
  opt = {type = "string", help = "optional, no default"},
}
print("count", math.type(a.count), a.count)
print("rate", math.type(a.rate), a.rate)
print("name", a.name)
print("fast", a.fast)
print("out", a.out)
print("langs", #a.langs, table.concat(a.langs, "|"))
print("opt", a.opt)
if a.name == "typo" then print(a.ouput) end
