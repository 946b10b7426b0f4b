-- Stage recipe vocoder_preprocess (RTVC vocoder_preprocess.py): ground-truth-aligned mels from a trained synthesizer.
local vc = require "voxclone"
local stage_recipe = require "stage_recipe"

return {
  description = "Teacher-forced (GTA) mels of every train.txt utterance for vocoder training: <out_dir>/mels_gta/ " ..
    "and synthesized.txt. RTVC's --cpu is the default here: models run on the CPU unless " ..
    "`voxclone run --device cuda ...`.",
  args = {
    datasets_root = {type = "path", help = "folder holding SV2TTS/ (not needed when in_dir and out_dir are given)"},
    syn_model_fpath = {type = "path", default = "saved_models/default/synthesizer.pt", help = "synthesizer checkpoint"},
    in_dir = {type = "path", help = "the SV2TTS/synthesizer folder (default <datasets_root>/SV2TTS/synthesizer)"},
    out_dir = {type = "path", help = "output folder (default <datasets_root>/SV2TTS/vocoder)"},
    hparams = {type = "list", default = "", help = "[tacotron] overrides key=value,... (the checkpoint's shapes win)"},
    text = {type = "string", default = "",
            help = "the synthesizer's text frontend: english, mandarin (\"\": tacotron.text)"},
  },
  plan = function(a)
    if not a.datasets_root and not (a.in_dir and a.out_dir) then
      stage_recipe.fail("argument 'datasets_root': required unless in_dir and out_dir are given")
    end
    local overrides = {}
    if a.text ~= "" then overrides[1] = "text=" .. a.text end
    for _, h in ipairs(a.hparams) do overrides[#overrides + 1] = h end
    return {{
      stage = "synthesizer_gta",
      opts = {checkpoint = a.syn_model_fpath,
              syn_dir = a.in_dir or vc.fs.join(a.datasets_root, "SV2TTS", "synthesizer"),
              out_dir = a.out_dir or vc.fs.join(a.datasets_root, "SV2TTS", "vocoder"), model_overrides = overrides},
      done = function(r) vc.log.info("%d GTA mels → %s", r.utterances, r.mels_gta) end,
    }}
  end,
}
