-- recipes/vctk/encoder_preprocess.lua: VCTK's 110 speakers as speaker-encoder data.
require("stage_recipe").main("encoder_preprocess", {
  description = "VCTK (0.80 wav48/ or 0.92 wav48_silence_trimmed/, mic1; `voxclone --set vctk.mic=both run ...` " ..
    "takes both microphones).",
  datasets = "vctk",
})
