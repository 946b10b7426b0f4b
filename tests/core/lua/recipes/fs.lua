-- vc.fs helpers inside a scratch folder.
local vc = require "voxclone"
local fs = vc.fs
local a = vc.args {dir = {type = "path", required = true}}
local d = fs.join(a.dir, "x", "y")
fs.mkdir(d)
print("isdir", fs.isdir(d), fs.exists(d), fs.isdir(fs.join(d, "nope")), fs.exists(fs.join(d, "nope")))
fs.write_text(fs.join(d, "a.txt"), "hello\nworld")
fs.write_text(fs.join(d, "b.txt"), "two")
fs.write_text(fs.join(d, "c.wav"), "")
fs.write_text(fs.join(d, "b.txt"), "replaced")
print("list", table.concat(fs.list(d), ","))
print("glob", table.concat(fs.list(d, "*.txt"), ","))
print("read", fs.read_text(fs.join(d, "a.txt")), fs.read_text(fs.join(d, "b.txt")))
print("parts", fs.basename("/p/q/r.tar.gz"), fs.dirname("/p/q/r.tar.gz"), fs.stem("/p/q/r.tar.gz"))
print("remove", fs.remove(fs.join(d, "b.txt")), fs.remove(fs.join(d, "b.txt")))
print("after", table.concat(fs.list(d), ","))
