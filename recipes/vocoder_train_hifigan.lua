-- recipes/vocoder_train_hifigan.lua: HiFi-GAN on any audio or SV2TTS folders (MockingBird vocoder/hifigan/train.py).
-- Arguments and steps: recipes/lib/stages/vocoder_train_hifigan.lua (shared with the recipes/<corpus>/ variants).
require("stage_recipe").main("vocoder_train_hifigan")
