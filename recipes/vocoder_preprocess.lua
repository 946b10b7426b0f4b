-- Vocoder preprocessing (RTVC vocoder_preprocess.py): ground-truth-aligned mels from a trained synthesizer.
local vc = require "voxclone"

local a = vc.args {
  description = "Teacher-forced (GTA) mels of every train.txt utterance for vocoder training",
  syn_dir = { type = "path", required = true, help = "the SV2TTS/synthesizer folder" },
  checkpoint = { type = "path", required = true, help = "synthesizer checkpoint" },
  out_dir = { type = "path", help = "output folder (default <syn_dir>/../vocoder)" },
}

local out = a.out_dir or vc.fs.join(vc.fs.dirname(a.syn_dir), "vocoder")
local r = vc.stage("synthesizer_gta", { checkpoint = a.checkpoint, syn_dir = a.syn_dir, out_dir = out })
vc.log.info("%d GTA mels → %s", r.utterances, r.mels_gta)
