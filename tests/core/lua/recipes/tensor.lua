-- Tensors: construction, queries, tolist, and an .npy round trip (the C++ side checks the files too).
local vc = require "voxclone"
local a = vc.args {dir = {type = "path", required = true}, mode = {type = "string", default = "ok"}}
local t = vc.tensor({{1, 2, 3}, {4, 5, 6.5}})
print(tostring(t), t:dim(), t:size(1), t:size(-1), t:numel(), t:dtype(), #t)
print("shape", table.concat(t:shape(), "x"))
local p = vc.fs.join(a.dir, "t.npy")
t:save_npy(p)
local u = vc.load_npy(p)
print(tostring(u), u:tolist()[2][3], math.type(u:tolist()[1][1]))
local i = vc.tensor({7, 8, -9}, "int64")
i:save_npy(vc.fs.join(a.dir, "i.npy"))
local j = vc.load_npy(vc.fs.join(a.dir, "i.npy"))
print(j:dtype(), table.concat(j:tolist(), ","), math.type(j:tolist()[1]))
local from_cpp = vc.load_npy(vc.fs.join(a.dir, "from_cpp.npy"))
print(tostring(from_cpp), table.concat(from_cpp:tolist(), ","))
if a.mode == "bad_dim" then
  print(t:size(3))
elseif a.mode == "bad_file" then
  vc.load_npy(vc.fs.join(a.dir, "not_npy.npy"))
elseif a.mode == "bad_field" then
  print(t.rows)
end
if a.mode == "set_field" then
  t.rows = 2
end
