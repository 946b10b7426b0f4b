-- Stage recipe finetune_synthesizer: a trained synthesizer fine-tuned on one speaker's transcribed recordings,
-- chaining the stage recipes synthesizer_preprocess_audio → synthesizer_preprocess_embeds → synthesizer_train.
local vc = require "voxclone"
local stage_recipe = require "stage_recipe"

return {
  description = "Fine-tunes a synthesizer checkpoint on one speaker's recordings: AUDIO_DIR is read by a dataset " ..
    "plugin (reader=folder: audio files with name.txt/name.lab beside them, a path|text list, or subtitles; see " ..
    "docs/datasets.md; keep one speaker of several with `voxclone --set folder.speaker=NAME run ...`), " ..
    "preprocessed into <run_dir>/SV2TTS/synthesizer, embedded with ENCODER, and trained from CHECKPOINT for " ..
    "extra_steps steps into <run_dir>/synthesizer.pt. Rerunning continues where it stopped: preprocessing keeps " ..
    "what is written and training resumes towards the same step; force_restart redoes both from CHECKPOINT.",
  args = {
    audio_dir = {type = "path", required = true, help = "the speaker's recordings with their transcripts"},
    checkpoint = {type = "path", required = true, help = "the synthesizer to fine-tune (RTVC/MockingBird .pt)"},
    encoder = {type = "path", default = "saved_models/default/encoder.pt", help = "speaker encoder checkpoint"},
    encoder_name = {type = "string", default = "ge2e", help = "encoder plugin"},
    run_dir = {type = "path", help = "data, checkpoint, samples (default saved_models/finetune_<audio_dir name>)"},
    reader = {type = "string", default = "folder", help = "dataset plugin reading audio_dir"},
    subsets = {type = "list", default = "", help = "subsets of the reader to use (\"\": all)"},
    extra_steps = {type = "int", default = 1000, help = "steps to train past the checkpoint's step"},
    save_every = {type = "int", default = 100, help = "steps between checkpoints"},
    backup_every = {type = "int", default = 0, help = "steps between backups (0: never)"},
    max_seconds = {type = "number", default = 0, help = "stop after this many seconds, saving first; rerun to go on"},
    hparams = {type = "list", default = "",
               help = "preprocessing and training overrides key=value,... (max_mel_frames=600,tts_eval_interval=50)"},
    text = {type = "string", default = "",
            help = "the checkpoint's text frontend: english, mandarin (\"\": tacotron.text)"},
    schedule = {type = "list", default = "", help = "r:lr:until_step:batch_size,... (\"\": the training default)"},
    n_processes = {type = "int", default = 4, help = "speakers preprocessed in parallel"},
    force_restart = {type = "bool", default = false, help = "preprocess again and restart from checkpoint"},
    seed = {type = "int", default = -1, help = "random seed (< 0: nondeterministic)"},
  },
  plan = function(a)
    local run_dir = a.run_dir or vc.fs.join("saved_models", "finetune_" .. vc.fs.basename(a.audio_dir))
    local syn_dir = vc.fs.join(run_dir, "SV2TTS", "synthesizer")
    -- RTVC's --hparams mix what voxclone keeps in three tables: a key of one stage goes to that stage, any
    -- other ([tacotron]'s audio and model settings) to both, so the mels written match the model trained.
    local preprocess_keys = vc.stage_config("synthesizer_preprocess_audio")
    local train_keys = vc.stage_config("synthesizer_train")
    local preprocess_hparams, train_hparams = {}, {}
    for _, h in ipairs(a.hparams) do
      local key = h:match("^([^=]+)=")
      if key == nil then stage_recipe.fail("argument 'hparams': expected key=value items, got '" .. h .. "'") end
      if preprocess_keys[key] == nil then train_hparams[#train_hparams + 1] = h end
      if train_keys[key] == nil then preprocess_hparams[#preprocess_hparams + 1] = h end
    end
    local steps = {}
    local function add(name, values)
      for _, step in ipairs(stage_recipe.plan(name, values)) do steps[#steps + 1] = step end
    end
    add("synthesizer_preprocess_audio", {
      datasets_root = a.audio_dir, reader = a.reader, subfolders = a.subsets, out_dir = syn_dir,
      n_processes = a.n_processes, skip_existing = not a.force_restart, hparams = preprocess_hparams})
    add("synthesizer_preprocess_embeds", {synthesizer_root = syn_dir, encoder_model_fpath = a.encoder,
                                          encoder_name = a.encoder_name})
    add("synthesizer_train", {
      syn_dir = syn_dir, run_dir = run_dir, checkpoint = a.checkpoint, extra_steps = a.extra_steps,
      save_every = a.save_every, backup_every = a.backup_every, max_seconds = a.max_seconds,
      force_restart = a.force_restart, hparams = train_hparams, text = a.text, schedule = a.schedule,
      seed = a.seed})
    return steps
  end,
}
