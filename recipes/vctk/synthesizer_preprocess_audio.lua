-- recipes/vctk/synthesizer_preprocess_audio.lua: VCTK as synthesizer data, read by the vctk dataset plugin.
require("stage_recipe").main("synthesizer_preprocess_audio", {
  description = "VCTK: every speaker with a transcript (txt/<speaker>/), 48 kHz resampled to the model's rate, " ..
    "one utterance per file (no alignments).",
  reader = "vctk",
  subfolders = "",
})
