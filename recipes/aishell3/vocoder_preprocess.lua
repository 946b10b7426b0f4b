-- recipes/aishell3/vocoder_preprocess.lua: GTA mels of a Mandarin synthesizer (MockingBird vocoder_preprocess.py).
require("stage_recipe").main("vocoder_preprocess", {
  description = "AISHELL-3 (MockingBird): the synthesizer reads train.txt's pinyin through text:mandarin.",
  text = "mandarin",
})
