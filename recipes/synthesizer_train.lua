-- recipes/synthesizer_train.lua: trains or fine-tunes the Tacotron synthesizer (RTVC synthesizer_train.py).
-- Arguments and steps: recipes/lib/stages/synthesizer_train.lua (shared with the recipes/<corpus>/ variants).
require("stage_recipe").main("synthesizer_train")
