-- recipes/ljspeech/finetune_synthesizer.lua: a multi-speaker synthesizer fine-tuned on LJSpeech's one voice.
require("stage_recipe").main("finetune_synthesizer", {
  description = "LJSpeech: AUDIO_DIR is the LJSpeech-1.1 folder (or the folder holding it), read by the ljspeech " ..
    "dataset plugin instead of the folder one.",
  reader = "ljspeech",
})
