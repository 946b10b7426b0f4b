-- recipes/librispeech/synthesizer_preprocess_audio.lua: RTVC's synthesizer data, LibriSpeech's clean subsets cut
-- at the silences of the librispeech-alignments word timings.
require("stage_recipe").main("synthesizer_preprocess_audio", {
  description = "LibriSpeech: train-clean-100 and train-clean-360, split on the alignments merged into the " ..
    "chapter folders (RTVC's walk of <datasets_root>/LibriSpeech/).",
  reader = "",
  datasets_name = "LibriSpeech",
  subfolders = "train-clean-100,train-clean-360",
})
