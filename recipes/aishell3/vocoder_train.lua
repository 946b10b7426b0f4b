-- recipes/aishell3/vocoder_train.lua: MockingBird's vocoder for its Mandarin models, HiFi-GAN on ground-truth mels.
require("stage_recipe").main("vocoder_train", {
  description = "AISHELL-3 (MockingBird): HiFi-GAN (vocoder_type hifigan) on the ground-truth mels of " ..
    "SV2TTS/synthesizer; give max_steps. vocoder=wavernn trains RTVC's WaveRNN instead.",
  vocoder = "hifigan",
  ground_truth = true,
})
