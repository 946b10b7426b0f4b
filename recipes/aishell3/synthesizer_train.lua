-- recipes/aishell3/synthesizer_train.lua: MockingBird's Mandarin Tacotron training (synthesizer_train.py).
require("stage_recipe").main("synthesizer_train", {
  description = "AISHELL-3 (MockingBird): pinyin text through text:mandarin (MockingBird's 75 symbols) and " ..
    "MockingBird's hparams.py schedule, shorter than RTVC's.",
  text = "mandarin",
  schedule = "2:1e-3:10000:12,2:5e-4:15000:12,2:2e-4:20000:12,2:1e-4:30000:12,2:5e-5:40000:12," ..
    "2:1e-5:60000:12,2:5e-6:160000:12,2:3e-6:320000:12,2:1e-6:640000:12",
  log_every = 200,
})
