-- Trains MockingBird's HiFi-GAN vocoder: synthesizer mels in, waveform out (vocoder/hifigan/train.py).
-- Data: SV2TTS/synthesizer folders (audio/ + mels/, what synthesizer preprocessing writes) or plain folders of
-- audio files (mels computed on the fly). Checkpoints are MockingBird's g_XXXXXXXX.pt / do_XXXXXXXX files.
local vc = require "voxclone"

local args = vc.args {
  description = "Train the HiFi-GAN vocoder (MockingBird format checkpoints; resumes from run_dir)",
  data = { type = "list", required = true, help = "training folders: SV2TTS/synthesizer or audio folders" },
  validation = { type = "list", default = "", help = "held-out folders (default: 5% of data)" },
  run_dir = { type = "path", default = "models/hifigan", help = "checkpoints, samples/, train_log.csv" },
  checkpoint = { type = "string", default = "", help = "MockingBird g_ file to start the generator from" },
  max_steps = { type = "int", default = 100000, help = "stop at this global step" },
  save_every = { type = "int", default = 1000, help = "g_/do_ checkpoint pair every N steps" },
  eval_every = { type = "int", default = 1000, help = "held-out samples and mel error every N steps" },
  log_every = { type = "int", default = 10, help = "log line every N steps" },
  max_wall_seconds = { type = "number", default = 0, help = "stop (after saving) after this long; 0: no limit" },
  force_restart = { type = "bool", default = false, help = "ignore an existing checkpoint in run_dir" },
  model = { type = "list", default = "", help = "model overrides key=value, e.g. upsample_initial_channel=32" },
}

local result = vc.stage("vocoder_train_hifigan", {
  checkpoint = args.checkpoint ~= "" and args.checkpoint or nil,
  data = args.data,
  validation = args.validation,
  model_overrides = args.model,
  run_dir = args.run_dir,
  max_steps = args.max_steps,
  save_every = args.save_every,
  eval_every = args.eval_every,
  log_every = args.log_every,
  max_wall_seconds = args.max_wall_seconds,
  force_restart = args.force_restart,
})
vc.log.info("hifigan: steps %d → %d%s, checkpoint %s", result.start_step, result.end_step,
            result.interrupted and " (interrupted)" or "", result.checkpoint)
