-- recipes/synthesizer_preprocess_audio.lua: utterances → SV2TTS/synthesizer mels, audio, train.txt (RTVC's script).
-- Arguments and steps: recipes/lib/stages/synthesizer_preprocess_audio.lua (shared with recipes/<corpus>/ variants).
require("stage_recipe").main("synthesizer_preprocess_audio")
