-- Audio objects: from samples, saved as WAV (PCM16 and float, with metadata), loaded back, resampled.
local vc = require "voxclone"
local a = vc.args {dir = {type = "path", required = true}, mode = {type = "string", default = "ok"}}
local clip = vc.audio({0, 0.5, -0.5, 0.25}, 16000)
print(tostring(clip), clip.rate, #clip, clip.length, clip.seconds)
local f = vc.fs.join(a.dir, "clip_float.wav")
clip:save(f, {format = "float", metadata = {title = "lua test", comment = "from a recipe"}})
clip:save(vc.fs.join(a.dir, "clip_pcm16.wav"))
local back = vc.load_audio(f)
print("back", back.rate, table.concat(back:samples(), ","))
local pcm = vc.load_audio(vc.fs.join(a.dir, "clip_pcm16.wav"))
print("pcm16", table.concat(pcm:samples(), ","))
local tone = vc.load_audio(vc.fs.join(a.dir, "tone.wav"))
local half = tone:resample(8000)
print("resampled", half.rate, #half, vc.load_audio(vc.fs.join(a.dir, "tone.wav"), 8000).rate)
if a.mode == "bad_option" then
  clip:save(f, {fromat = "float"})
elseif a.mode == "bad_format" then
  clip:save(f, {format = "mp3"})
elseif a.mode == "missing" then
  vc.load_audio(vc.fs.join(a.dir, "missing.wav"))
end
