-- recipes/vocoder_preprocess.lua: ground-truth-aligned mels from a trained synthesizer (RTVC vocoder_preprocess.py).
-- Arguments and steps: recipes/lib/stages/vocoder_preprocess.lua (shared with the recipes/<corpus>/ variants).
require("stage_recipe").main("vocoder_preprocess")
