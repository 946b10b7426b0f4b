-- recipes/ljspeech/synthesizer_preprocess_audio.lua: LJSpeech (one speaker) as synthesizer data.
require("stage_recipe").main("synthesizer_preprocess_audio", {
  description = "LJSpeech-1.1: metadata.csv's normalized text (`voxclone --set ljspeech.text_column=raw run ...` " ..
    "for the raw one), 22.05 kHz resampled to the model's rate.",
  reader = "ljspeech",
  subfolders = "",
})
