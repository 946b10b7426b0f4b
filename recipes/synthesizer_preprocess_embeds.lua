-- recipes/synthesizer_preprocess_embeds.lua: a speaker embedding per train.txt utterance (RTVC's script).
-- Arguments and steps: recipes/lib/stages/synthesizer_preprocess_embeds.lua (shared with recipes/<corpus>/ variants).
require("stage_recipe").main("synthesizer_preprocess_embeds")
