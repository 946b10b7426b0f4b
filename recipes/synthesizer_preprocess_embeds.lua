-- Synthesizer preprocessing, step 2 (RTVC synthesizer_preprocess_embeds.py): a speaker embedding for every
-- utterance of train.txt, written to <syn_dir>/embeds/embed-*.npy.
local vc = require "voxclone"

local a = vc.args {
  description = "Embeds every preprocessed utterance with a speaker encoder",
  syn_dir = { type = "path", required = true, help = "the SV2TTS/synthesizer folder" },
  encoder = { type = "path", required = true, help = "speaker encoder checkpoint (RTVC encoder.pt)" },
  encoder_name = { type = "string", default = "ge2e", help = "encoder plugin" },
}

local r = vc.stage("synthesizer_preprocess_embeds", { checkpoint = a.encoder, syn_dir = a.syn_dir,
                                                      encoder = a.encoder_name })
vc.log.info("%d embeddings → %s", r.utterances, r.embeds)
