-- recipes/finetune_synthesizer.lua: fine-tunes a synthesizer on one speaker's transcribed recordings (resumable).
-- Arguments and steps: recipes/lib/stages/finetune_synthesizer.lua (shared with the recipes/<corpus>/ variants).
require("stage_recipe").main("finetune_synthesizer")
