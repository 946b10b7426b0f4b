-- Stage recipe encoder_train (RTVC encoder_train.py): trains the GE2E speaker encoder on SV2TTS/encoder data.
local vc = require "voxclone"

return {
  description = "Trains the GE2E speaker encoder. Checkpoints go to MODELS_DIR/RUN_ID/encoder.pt (RTVC's format); " ..
    "an existing one is resumed unless force_restart. RTVC's visdom_server and no_visdom have no counterpart: " ..
    "loss and EER go to the log and MODELS_DIR/RUN_ID/train_log.csv, the embedding projections to PNG files " ..
    "in the run folder.",
  args = {
    run_id = {type = "string", required = true, help = "name of the run (its folder under models_dir)"},
    clean_data_root = {type = "path", required = true, help = "the SV2TTS/encoder folder of encoder_preprocess"},
    models_dir = {type = "path", default = "saved_models", help = "where runs are kept"},
    vis_every = {type = "int", default = 10, help = "log loss and EER every N steps"},
    umap_every = {type = "int", default = 100, help = "draw the embedding projection every N steps (0: never)"},
    save_every = {type = "int", default = 500, help = "save the checkpoint every N steps (0: only at the end)"},
    backup_every = {type = "int", default = 7500, help = "keep a backup every N steps (0: never)"},
    force_restart = {type = "bool", default = false, help = "start from scratch (the old checkpoint is moved aside)"},
    model_hidden_size = {type = "int", default = 256, help = "LSTM width of a fresh run (a resumed run keeps its own)"},
    model_embedding_size = {type = "int", default = 256, help = "embedding size of a fresh run"},
    model_num_layers = {type = "int", default = 3, help = "LSTM layers of a fresh run"},
    log_mel_input = {type = "bool", default = false, help = "a fresh run's network reads a scaled ln(mel), not the power mel (false: as RTVC)"},
    speakers_per_batch = {type = "int", default = 64},
    utterances_per_speaker = {type = "int", default = 10},
    max_steps = {type = "int", default = 1000000000, help = "stop at this step (RTVC trains until stopped)"},
    max_minutes = {type = "number", default = 0, help = "stop after this long, saving first (0: no limit)"},
    learning_rate = {type = "number", default = 1e-4},
    warmup_steps = {type = "int", default = 0, help = "ramp the learning rate up linearly over N steps (0: RTVC's constant rate)"},
    decay_steps = {type = "int", default = 0, help = "cosine decay of the rate after the warm-up, reaching 0 at step N (0: constant, as RTVC)"},
    dropout = {type = "number", default = 0, help = "training only: dropout between LSTM layers and before the projection (0: none, as RTVC)"},
    weight_decay = {type = "number", default = 0, help = "Adam's L2 penalty (RTVC: 0)"},
    augment_freq_mask = {type = "int", default = 0, help = "zero one band of up to N mel channels per crop (0: off, as RTVC)"},
    augment_time_mask = {type = "int", default = 0, help = "zero one span of up to N frames per crop (0: off, as RTVC)"},
    warp_speakers = {type = "number", default = 0, help = "every speaker also as two new ones with the mel frequency axis scaled by 1 - N and 1 + N (0: off, as RTVC)"},
    augment_gain_db = {type = "number", default = 0, help = "random gain within ±N dB per crop (0: off, as RTVC)"},
    exclude_speakers = {type = "list", default = "", help = "speaker folders kept out of training"},
    cache_utterances = {type = "bool", default = false, help = "keep mels in memory (small corpora)"},
    threads = {type = "int", default = 0, help = "intra-op threads (0: default)"},
    seed = {type = "int", default = 1234},
  },
  plan = function(a)
    return {{
      stage = "encoder_train",
      opts = {run_id = a.run_id, clean_data_root = a.clean_data_root, models_dir = a.models_dir,
              vis_every = a.vis_every, umap_every = a.umap_every, save_every = a.save_every,
              backup_every = a.backup_every, force_restart = a.force_restart,
              speakers_per_batch = a.speakers_per_batch, utterances_per_speaker = a.utterances_per_speaker,
              max_steps = a.max_steps, max_minutes = a.max_minutes, learning_rate = a.learning_rate,
              warmup_steps = a.warmup_steps, decay_steps = a.decay_steps,
              dropout = a.dropout, weight_decay = a.weight_decay, augment_freq_mask = a.augment_freq_mask,
              augment_time_mask = a.augment_time_mask, augment_gain_db = a.augment_gain_db, warp_speakers = a.warp_speakers,
              exclude_speakers = a.exclude_speakers, cache_utterances = a.cache_utterances, threads = a.threads,
              seed = a.seed, model_hidden_size = a.model_hidden_size, model_embedding_size = a.model_embedding_size,
              model_num_layers = a.model_num_layers, log_mel_input = a.log_mel_input},
      done = function(r) vc.log.info("steps %d → %d, checkpoint %s", r.start_step, r.end_step, r.checkpoint) end,
    }}
  end,
}
