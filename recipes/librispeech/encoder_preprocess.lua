-- recipes/librispeech/encoder_preprocess.lua: the encoder's LibriSpeech data as RTVC uses it (train-other-500).
require("stage_recipe").main("encoder_preprocess", {
  description = "LibriSpeech: the speakers of train-other-500 (RTVC's librispeech_other); datasets=librispeech " ..
    "takes every subset present.",
  datasets = "librispeech_other",
})
