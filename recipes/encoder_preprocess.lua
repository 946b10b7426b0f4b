-- recipes/encoder_preprocess.lua: corpora → SV2TTS/encoder mels for GE2E training (RTVC encoder_preprocess.py).
-- Arguments and steps: recipes/lib/stages/encoder_preprocess.lua (shared with the recipes/<corpus>/ variants).
require("stage_recipe").main("encoder_preprocess")
