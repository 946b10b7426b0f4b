-- recipes/aishell3/synthesizer_preprocess_audio.lua: AISHELL-3 as MockingBird's Mandarin synthesizer data
-- (pre.py --dataset aishell3): the pinyin of train/content.txt as the training text.
require("stage_recipe").main("synthesizer_preprocess_audio", {
  description = "AISHELL-3 (MockingBird): <datasets_root>/aishell3/train/wav/<speaker>/*.wav with the pinyin of " ..
    "train/content.txt (`voxclone --set aishell3.text=hanzi run ...` keeps the characters), one utterance per " ..
    "file. MockingBird also denoises (logmmse) and trims with librosa first; this does RTVC's trimming only.",
  reader = "aishell3",
  subfolders = "train",
})
