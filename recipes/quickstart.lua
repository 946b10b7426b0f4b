-- The quick start: trains a tiny encoder (GE2E), synthesizer (Tacotron) and vocoder (WaveRNN) on the synthetic corpus (about 15 minutes
-- on 2 cores), publishes them in models/quickstart/ (what models/default.toml names), then clones a held-out
-- real voice. Re-running resumes: finished stages are skipped, interrupted training continues.
--   voxclone run recipes/quickstart.lua
--   voxclone run recipes/quickstart.lua minutes=30 text="Something else."
local vc = require "voxclone"

local here = vc.recipe_dir
local root = vc.fs.join(here, "..")

local a = vc.args {
  description = "Trains tiny models on the synthetic corpus and clones a voice with them (the quick start)",
  out_dir = { type = "path", default = "out/quickstart", help = "corpus, preprocessed data, training runs, clone" },
  models_dir = { type = "path", default = vc.fs.join(root, "models", "quickstart"),
                 help = "where the trained encoder.pt, synthesizer.pt, vocoder.pt go (models/default.toml names them)" },
  voice = { type = "path", default = vc.fs.join(root, "samples", "211-122425-0000.flac"),
            help = "reference voice to clone (a real LibriSpeech reader the models never heard)" },
  text = { type = "string", default = "The father passed this box. Helen laughed at the small road.",
           help = "what the clone says (words of the synthetic corpus suit the tiny models best)" },
  minutes = { type = "number", default = 13, help = "training budget for the three models together (wall clock)" },
  encoder_steps = { type = "int", default = 400, help = "GE2E steps at most" },
  synthesizer_steps = { type = "int", default = 3000, help = "Tacotron steps at most" },
  vocoder_steps = { type = "int", default = 3000, help = "WaveRNN steps at most" },
  speakers = { type = "int", default = 24, help = "synthetic English speakers (4 of them held out)" },
  utterances = { type = "int", default = 12, help = "utterances per synthetic speaker" },
  seed = { type = "int", default = 1, help = "training and cloning seed" },
  force_restart = { type = "bool", default = false, help = "train every model from scratch" },
}

if a.minutes <= 0 then vc.fail("minutes must be positive", 2) end
if a.speakers < 3 or a.utterances < 2 then vc.fail("need at least 3 speakers and 2 utterances each", 2) end
local held_out = math.min(4, a.speakers // 5 + 1)
local work = a.out_dir
local corpus = vc.fs.join(work, "corpus")
local runs = vc.fs.join(work, "runs")
vc.fs.mkdir(runs)
local started = os.time()

local function heading(text) vc.log.info("==== %s (%.1f min so far)", text, os.difftime(os.time(), started) / 60) end

-- 1. The synthetic corpus (deterministic; made once).
heading("synthetic corpus")
if not vc.fs.exists(vc.fs.join(corpus, "README.txt")) then
  local cmd = string.format("%q run %q out_dir=%q english_speakers=%d utterances=%d test_speakers=%d "
                            .. "mandarin_speakers=0", vc.executable, vc.fs.join(here, "make_synthetic_corpus.lua"),
                            corpus, a.speakers, a.utterances, held_out)
  if not os.execute(cmd) then vc.fail("making the synthetic corpus failed: " .. cmd, 2) end
end

-- 2. Speaker encoder: GE2E, small (2 × 128 LSTM), on the training speakers.
heading("speaker encoder")
local enc_data = vc.fs.join(work, "encoder_data")
vc.stage("encoder_preprocess", { datasets_root = corpus, out_dir = enc_data, datasets = { "librispeech_clean" },
                                 skip_existing = true })
local enc = vc.stage("encoder_train", {
  run_id = "encoder", clean_data_root = enc_data, models_dir = runs,
  speakers_per_batch = math.min(16, a.speakers - held_out), utterances_per_speaker = math.min(6, a.utterances),
  model_hidden_size = 128, model_num_layers = 2, learning_rate = 2e-4,
  max_steps = a.encoder_steps, max_minutes = a.minutes * 0.2, save_every = 100, umap_every = 100,
  cache_utterances = true, force_restart = a.force_restart, seed = a.seed,
})
vc.log.info("encoder: steps %d → %d, loss %.3f → %.3f", enc.start_step, enc.end_step, enc.first_loss or 0,
            enc.last_loss or 0)

-- 3. Synthesizer data: mels of the training speakers, embeddings from the encoder just trained.
heading("synthesizer data")
local syn_dir = vc.fs.join(work, "synthesizer_data")
local syn_data = vc.stage("synthesizer_preprocess_audio", { datasets_root = corpus, subfolders = { "train-clean-100" },
                                                            out_dir = syn_dir, skip_existing = true })
vc.stage("synthesizer_preprocess_embeds", { checkpoint = enc.checkpoint, syn_dir = syn_dir })
local _, utterances = vc.fs.read_text(syn_data.train_txt):gsub("\n", "")  -- all of them, kept ones included

-- 4. Tacotron, small, with 4 frames per decoder step so attention forms within minutes.
heading("synthesizer")
local syn = vc.stage("synthesizer_train", {
  syn_dir = syn_dir, run_dir = vc.fs.join(runs, "synthesizer"), force_restart = a.force_restart, seed = a.seed,
  model_overrides = { "tts_embed_dims=128", "tts_encoder_dims=64", "tts_decoder_dims=64", "tts_postnet_dims=128",
                      "tts_lstm_dims=256", "tts_num_highways=2", "tts_encoder_K=3", "tts_postnet_K=3" },
  tts_schedule = { { 4, 2e-3, a.synthesizer_steps, math.min(16, utterances) } }, max_steps = a.synthesizer_steps,
  max_wall_seconds = a.minutes * 60 * 0.55, save_every = 200, tts_eval_interval = 200,
  -- Minutes of CPU training are far too few for Tacotron's attention to find the text on its own; the guided
  -- attention loss makes it align within a few hundred steps (plugins/synthesizers/tacotron/README.md).
  guided_attention_weight = 1.0,
})
vc.log.info("synthesizer: steps %d → %d, loss %.3f → %.3f", syn.start_step, syn.end_step, syn.first_loss,
            syn.last_loss)

-- 5. WaveRNN, small (RTVC's vocoder at a quarter of its width), on the ground-truth mels. HiFi-GAN's full-size
-- discriminators cost seconds per step on a CPU, too slow for a budget of minutes.
heading("vocoder")
local voc = vc.stage("vocoder_train_wavernn", {
  run_id = "vocoder", syn_dir = syn_dir, models_dir = runs, ground_truth = true, force_restart = a.force_restart,
  seed = a.seed, max_steps = a.vocoder_steps, max_wall_seconds = a.minutes * 60 * 0.25, save_every = 100,
  eval_every = 0,
  model_overrides = { "voc_rnn_dims=128", "voc_fc_dims=128", "voc_compute_dims=64", "voc_res_out_dims=64",
                      "voc_res_blocks=3", "voc_batch_size=32", "voc_lr=3e-4" },
})
vc.log.info("vocoder: steps %d → %d, loss %.3f → %.3f", voc.start_step, voc.end_step, voc.first_loss or 0,
            voc.last_loss or 0)

-- 6. Publish the models where models/default.toml looks for them.
heading("publishing the models")
vc.fs.mkdir(a.models_dir)
local published = {
  encoder = vc.fs.copy(enc.checkpoint, vc.fs.join(a.models_dir, "encoder.pt")),
  synthesizer = vc.fs.copy(syn.checkpoint, vc.fs.join(a.models_dir, "synthesizer.pt")),
  vocoder = vc.fs.copy(voc.checkpoint, vc.fs.join(a.models_dir, "vocoder.pt")),
}
local models = vc.fs.write_text(vc.fs.join(work, "models.toml"), string.format(
  '[encoder]\nname = "ge2e"\ncheckpoint = %q\n[synthesizer]\nname = "tacotron"\ncheckpoint = %q\n'
  .. '[vocoder]\nname = "wavernn"\ncheckpoint = %q\n', vc.fs.absolute(published.encoder),
  vc.fs.absolute(published.synthesizer), vc.fs.absolute(published.vocoder)))

-- 7. Clone the held-out voice.
heading("cloning")
local cloner = vc.cloner { models = models }
local clone_dir = vc.fs.mkdir(vc.fs.join(work, "clone"))
local r = cloner:clone { voices = { a.voice }, text = a.text, seed = a.seed, candidates = 3,
                         out = vc.fs.join(clone_dir, "clone.wav"), alignment = vc.fs.join(clone_dir, "attention.png") }
vc.log.info("==== done in %.1f min", os.difftime(os.time(), started) / 60)
vc.log.info("cloned voice:   %s (%.2f s, similarity to the reference %.3f)", r.path, r.seconds, r.similarity)
vc.log.info("attention plot: %s", r.alignment or "(none)")
vc.log.info("models:         %s (voxclone clone --voice X --text Y --out Z now uses them)", a.models_dir)
vc.log.info("training runs:  %s (logs, plots, samples)", runs)
