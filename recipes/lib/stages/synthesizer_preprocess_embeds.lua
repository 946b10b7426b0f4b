-- Stage recipe synthesizer_preprocess_embeds (RTVC synthesizer_preprocess_embeds.py): a speaker embedding for
-- every utterance of train.txt, written to <synthesizer_root>/embeds/embed-*.npy.
local vc = require "voxclone"

return {
  description = "Embeds every preprocessed utterance with a speaker encoder. RTVC's n_processes has no " ..
    "counterpart: one encoder embeds the utterances in turn on all of LibTorch's threads.",
  args = {
    synthesizer_root = {type = "path", required = true, help = "the SV2TTS/synthesizer folder (audio/, train.txt)"},
    encoder_model_fpath = {type = "path", default = "saved_models/default/encoder.pt",
                           help = "speaker encoder checkpoint (RTVC encoder.pt)"},
    encoder_name = {type = "string", default = "ge2e", help = "encoder plugin"},
  },
  plan = function(a)
    return {{
      stage = "synthesizer_preprocess_embeds",
      opts = {checkpoint = a.encoder_model_fpath, syn_dir = a.synthesizer_root, encoder = a.encoder_name},
      done = function(r) vc.log.info("%d embeddings → %s", r.utterances, r.embeds) end,
    }}
  end,
}
