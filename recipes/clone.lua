-- Clones every voice of a folder saying every text of a list (RTVC forks' "all together" script):
-- <out_dir>/<voice>/<NNN>.wav, plus texts.txt listing the texts by number. Resumable: outputs that exist are kept.
-- A voice that cannot be used is reported and the others go on (exit code 2 at the end if any failed).
--   voxclone run recipes/clone.lua voices_dir=refs/ texts=lines.txt out_dir=out/clones
local vc = require "voxclone"
local clone_args = require "clone_args"
local util = require "recipe_util"

local a = vc.args(clone_args.add {
  description = "Every reference voice of a folder × every text of a list → an output folder",
  voices_dir = { type = "path", required = true, help = "reference audio files (wav, flac, mp3, ogg, m4a ...)" },
  texts = { type = "path", required = true, help = "text file: one text per line ('#' comments, blank lines ignored)" },
  out_dir = { type = "path", required = true, help = "receives <voice>/<NNN>.wav and texts.txt" },
})

util.require_dir(a.voices_dir, "voices_dir")
local texts = util.read_lines(a.texts)
if #texts == 0 then vc.fail(a.texts .. ": no texts in it", 2) end
local audio_ext = { wav = true, flac = true, mp3 = true, ogg = true, m4a = true, opus = true }
local voices = {}
for _, name in ipairs(vc.fs.list(a.voices_dir)) do
  local ext = (name:match("%.([^.]+)$") or ""):lower()
  if audio_ext[ext] and not vc.fs.isdir(vc.fs.join(a.voices_dir, name)) then voices[#voices + 1] = name end
end
if #voices == 0 then vc.fail(a.voices_dir .. ": no audio files in it", 2) end

vc.fs.mkdir(a.out_dir)
local listing = {}
for i, t in ipairs(texts) do listing[i] = string.format("%03d\t%s", i, t) end
vc.fs.write_text(vc.fs.join(a.out_dir, "texts.txt"), table.concat(listing, "\n") .. "\n")

local cloner = clone_args.cloner(a)
local progress = vc.progress("clone", #voices * #texts, "clip")
local made, kept, failed = 0, 0, {}
for _, name in ipairs(voices) do
  local voice = vc.fs.join(a.voices_dir, name)
  local dir = vc.fs.join(a.out_dir, vc.fs.stem(name))
  for i, t in ipairs(texts) do
    local out = vc.fs.join(dir, string.format("%03d.wav", i))
    if vc.fs.exists(out) and not a.overwrite then
      kept = kept + 1
    else
      vc.fs.mkdir(dir)
      local ok, err = pcall(cloner.clone, cloner, { voices = { voice }, text = t, out = out, seed = a.seed,
                                                    candidates = a.candidates, max_steps = a.max_steps })
      if ok then
        made = made + 1
      else
        failed[#failed + 1] = name
        vc.log.error("%s", (tostring(err):gsub("[\r\n]+", " ")))
        progress:advance(#texts - i + 1)
        break  -- the voice itself is the problem (unreadable, silent ...): its other texts would fail too
      end
    end
    progress:advance(1)
  end
end
progress:finish()
vc.log.info("%d voices × %d texts: %d made, %d already there, %d voices failed → %s", #voices, #texts, made, kept,
            #failed, a.out_dir)
if #failed > 0 then vc.fail(string.format("%d voice(s) failed: %s", #failed, table.concat(failed, ", ")), 0) end
