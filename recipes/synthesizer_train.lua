-- Tacotron training (RTVC synthesizer_train.py): progressive schedule, checkpoints with resume, evaluation plots.
-- Fine-tuning on one speaker: pass checkpoint=pretrained.pt and extra_steps=N.
local vc = require "voxclone"

local a = vc.args {
  description = "Trains the Tacotron synthesizer on an SV2TTS/synthesizer folder",
  syn_dir = { type = "path", required = true, help = "train.txt, mels/, embeds/" },
  run_dir = { type = "path", required = true, help = "checkpoint, backups, samples and logs go here" },
  checkpoint = { type = "path", help = "start from these weights (fine-tuning); ignored when resuming" },
  extra_steps = { type = "int", default = 0, help = "> 0: train this many steps past the start" },
  max_steps = { type = "int", default = 0, help = "stop at this step (0: end of the schedule)" },
  save_every = { type = "int", default = 1000 },
  backup_every = { type = "int", default = 25000 },
  eval_every = { type = "int", default = 500, help = "plots and a Griffin-Lim wav every N steps" },
  force_restart = { type = "bool", default = false },
  seed = { type = "int", default = -1 },
  model = { type = "list", default = {}, help = "model overrides, e.g. tts_lstm_dims=256,tts_embed_dims=128" },
}

local opts = {
  syn_dir = a.syn_dir, run_dir = a.run_dir, extra_steps = a.extra_steps, max_steps = a.max_steps,
  save_every = a.save_every, backup_every = a.backup_every, tts_eval_interval = a.eval_every,
  force_restart = a.force_restart, seed = a.seed, model_overrides = a.model,
}
if a.checkpoint then opts.checkpoint = a.checkpoint end
local r = vc.stage("synthesizer_train", opts)
vc.log.info("trained steps %d → %d (loss %.4f → %.4f); checkpoint %s", r.start_step, r.end_step, r.first_loss,
            r.last_loss, r.checkpoint)
