-- recipes/encoder_train.lua: trains the GE2E speaker encoder on SV2TTS/encoder data (RTVC encoder_train.py).
-- Arguments and steps: recipes/lib/stages/encoder_train.lua (shared with the recipes/<corpus>/ variants).
require("stage_recipe").main("encoder_train")
