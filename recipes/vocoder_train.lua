-- recipes/vocoder_train.lua: trains a vocoder (wavernn, hifigan) on SV2TTS data (RTVC/MockingBird vocoder_train.py).
-- Arguments and steps: recipes/lib/stages/vocoder_train.lua (shared with the recipes/<corpus>/ variants).
require("stage_recipe").main("vocoder_train")
