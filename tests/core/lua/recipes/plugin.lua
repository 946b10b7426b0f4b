-- Plugin objects created by name: option tables become configuration overrides; unknown keys are errors.
local vc = require "voxclone"
local a = vc.args {dir = {type = "path", required = true}, mode = {type = "string", default = "ok"}}
local voc = vc.vocoder("lua_test_vocoder", {hop = 100, gain = 0.25})
print(tostring(voc), voc.name, voc.kind, voc.sample_rate)
local mel = vc.tensor({{0, 0, 0}, {0, 0, 0}})
local audio = voc:vocode(mel, {seed = 7})
print("vocoded", #audio, audio.rate, audio:samples()[1], audio:samples()[#audio])
for _, p in ipairs(vc.plugins()) do
  if p.name == "lua_test_vocoder" then print("listed", p.kind, p.name, p.plugin, p.version, p.file) end
end
print("config", vc.write_config(vc.fs.join(a.dir, "effective.toml")))
print("device", vc.device())
if a.mode == "bad_key" then
  vc.vocoder("lua_test_vocoder", {hpo = 1})
elseif a.mode == "bad_type" then
  vc.vocoder("lua_test_vocoder", {hop = print})
elseif a.mode == "bad_name" then
  vc.vocoder("no_such_vocoder")
elseif a.mode == "bad_vocode_option" then
  voc:vocode(mel, {sed = 1})
elseif a.mode == "bad_mel" then
  voc:vocode(vc.tensor({1, 2, 3}))
end
