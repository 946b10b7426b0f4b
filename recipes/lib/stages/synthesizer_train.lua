-- Stage recipe synthesizer_train (RTVC synthesizer_train.py, MockingBird's): Tacotron training with resume,
-- backups and evaluation plots; fine-tuning from a checkpoint with extra_steps.
local vc = require "voxclone"
local stage_recipe = require "stage_recipe"

-- "r:lr:until_step:batch_size,..." → the stage's tts_schedule (RTVC's hparams.tts_schedule tuples).
local function parse_schedule(items)
  local schedule = {}
  for _, item in ipairs(items) do
    local r, lr, until_step, batch = item:match("^(%d+):([^:]+):(%d+):(%d+)$")
    if not r or not tonumber(lr) then
      stage_recipe.fail("argument 'schedule': expected r:lr:until_step:batch_size items, got '" .. item .. "'")
    end
    schedule[#schedule + 1] = {math.tointeger(tonumber(r)), tonumber(lr) + 0.0, math.tointeger(tonumber(until_step)),
                               math.tointeger(tonumber(batch))}
  end
  return schedule
end

return {
  description = "Trains the Tacotron synthesizer on an SV2TTS/synthesizer folder (train.txt, mels/, embeds/). " ..
    "Outputs go to <models_dir>/<run_id>/ (synthesizer.pt in RTVC's format, backups/, samples/, train_log.csv); " ..
    "an existing run is resumed unless force_restart. hparams are RTVC's overrides: [tacotron] model keys " ..
    "(tts_lstm_dims=256), or training keys (tts_eval_interval=100, tts_clip_grad_norm=0.5); the schedule, whose " ..
    "tuples hold commas, is the schedule argument. Fine-tuning: checkpoint=pretrained.pt extra_steps=N.",
  args = {
    run_id = {type = "string", help = "name of the run: <models_dir>/<run_id>/ (required unless run_dir)"},
    syn_dir = {type = "path", required = true, help = "the SV2TTS/synthesizer folder: train.txt, mels/, embeds/"},
    models_dir = {type = "path", default = "saved_models", help = "folder of the runs"},
    run_dir = {type = "path", help = "the run's folder itself, instead of <models_dir>/<run_id>"},
    save_every = {type = "int", default = 1000, help = "steps between checkpoints (0: only at the end)"},
    backup_every = {type = "int", default = 25000, help = "steps between backups (0: never)"},
    force_restart = {type = "bool", default = false, help = "start from scratch (the old checkpoint is moved aside)"},
    hparams = {type = "list", default = "",
               help = "overrides key=value,... e.g. tts_lstm_dims=256,tts_eval_interval=50"},
    text = {type = "string", default = "", help = "text frontend: english, mandarin (\"\": tacotron.text)"},
    schedule = {type = "list", default = "",
                help = "r:lr:until_step:batch_size,... (\"\": synthesizer_train.tts_schedule, RTVC's)"},
    checkpoint = {type = "path", help = "start from these weights (fine-tuning); a resumed run keeps its own"},
    extra_steps = {type = "int", default = 0,
                   help = "> 0: train to N steps past the checkpoint's step (a rerun continues to the same target)"},
    max_steps = {type = "int", default = 0, help = "stop at this step (0: the end of the schedule)"},
    max_seconds = {type = "number", default = 0, help = "stop after this many seconds, saving first (0: no limit)"},
    log_every = {type = "int", default = 10, help = "steps between log lines (MockingBird's log_every)"},
    seed = {type = "int", default = -1, help = "random seed (< 0: nondeterministic)"},
  },
  plan = function(a)
    if not a.run_id and not a.run_dir then
      stage_recipe.fail("argument 'run_id': required (run_id=<string>) unless run_dir is given")
    end
    local overrides = {}
    if a.text ~= "" then overrides[1] = "text=" .. a.text end
    for _, h in ipairs(a.hparams) do overrides[#overrides + 1] = h end
    local opts = {
      syn_dir = a.syn_dir, run_dir = a.run_dir or vc.fs.join(a.models_dir, a.run_id), checkpoint = a.checkpoint,
      extra_steps = a.extra_steps, max_steps = a.max_steps, save_every = a.save_every,
      backup_every = a.backup_every, force_restart = a.force_restart, max_wall_seconds = a.max_seconds,
      log_every = a.log_every, seed = a.seed, model_overrides = overrides,
    }
    if #a.schedule > 0 then opts.tts_schedule = parse_schedule(a.schedule) end
    return {{
      stage = "synthesizer_train",
      opts = opts,
      done = function(r)
        vc.log.info("trained steps %d → %d%s (loss %.4f → %.4f); checkpoint %s", r.start_step, r.end_step,
                    r.interrupted and " (interrupted)" or "", r.first_loss, r.last_loss, r.checkpoint)
      end,
    }}
  end,
}
