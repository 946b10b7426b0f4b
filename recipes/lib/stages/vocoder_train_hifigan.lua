-- Stage recipe vocoder_train_hifigan: MockingBird's HiFi-GAN training (vocoder/hifigan/train.py) with the stage's
-- own options: any number of SV2TTS/synthesizer or plain audio folders, held-out folders, a g_ file to start from.
local vc = require "voxclone"

return {
  description = "Trains the HiFi-GAN vocoder: synthesizer mels in, waveform out. Data: SV2TTS/synthesizer folders " ..
    "(audio/ + mels/, what synthesizer preprocessing writes) or plain folders of audio files (mels computed on the " ..
    "fly). Checkpoints are MockingBird's g_XXXXXXXX.pt / do_XXXXXXXX files in run_dir, resumed unless " ..
    "force_restart. recipes/vocoder_train.lua vocoder=hifigan runs the same stage with RTVC's arguments.",
  args = {
    data = {type = "list", required = true, help = "training folders: SV2TTS/synthesizer or audio folders"},
    validation = {type = "list", default = "", help = "held-out folders (default: 5% of data)"},
    run_dir = {type = "path", default = "saved_models/hifigan", help = "checkpoints, samples/, train_log.csv"},
    checkpoint = {type = "path", help = "MockingBird g_ file to start the generator from (fine-tuning)"},
    max_steps = {type = "int", default = 100000, help = "stop at this global step"},
    save_every = {type = "int", default = 1000, help = "g_/do_ checkpoint pair every N steps"},
    backup_every = {type = "int", default = 0, help = "also keep backups every N steps (0: never)"},
    eval_every = {type = "int", default = 1000, help = "held-out samples and mel error every N steps (0: never)"},
    log_every = {type = "int", default = 10, help = "log line every N steps"},
    max_seconds = {type = "number", default = 0, help = "stop (after saving) after this many seconds (0: no limit)"},
    force_restart = {type = "bool", default = false, help = "ignore an existing checkpoint in run_dir"},
    model = {type = "list", default = "", help = "[hifigan] overrides key=value,... e.g. upsample_initial_channel=32"},
  },
  plan = function(a)
    return {{
      stage = "vocoder_train_hifigan",
      opts = {checkpoint = a.checkpoint, data = a.data, validation = a.validation, model_overrides = a.model,
              run_dir = a.run_dir, max_steps = a.max_steps, save_every = a.save_every, backup_every = a.backup_every,
              eval_every = a.eval_every, log_every = a.log_every, max_wall_seconds = a.max_seconds,
              force_restart = a.force_restart},
      done = function(r)
        vc.log.info("hifigan: steps %d → %d%s, checkpoint %s", r.start_step, r.end_step,
                    r.interrupted and " (interrupted)" or "", r.checkpoint)
      end,
    }}
  end,
}
