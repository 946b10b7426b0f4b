-- Stage recipe synthesizer_preprocess_audio (RTVC synthesizer_preprocess_audio.py, MockingBird pre.py's first
-- half): utterances → <out_dir>/{mels,audio}/*.npy and train.txt (SV2TTS/synthesizer layout).
local vc = require "voxclone"

return {
  description = "Cuts utterances on long silences (word alignments), trims them and writes mels, audio and " ..
    "train.txt. reader=\"\" walks RTVC's <datasets_root>/<datasets_name>/<subfolders>/<speaker>/<book>/ folders; " ..
    "reader=NAME reads any corpus a dataset plugin knows (aishell3, vctk, ljspeech, folder, ...) with subfolders " ..
    "as its subsets. hparams are RTVC's overrides: preprocessing keys (max_mel_frames, trim_silence, " ..
    "utterance_min_duration, ...) or [tacotron] audio settings.",
  args = {
    datasets_root = {type = "path", required = true, help = "folder holding <datasets_name>/ (or the corpus itself)"},
    out_dir = {type = "path", help = "output folder (default <datasets_root>/SV2TTS/synthesizer)"},
    n_processes = {type = "int", default = 4, help = "speakers processed in parallel"},
    skip_existing = {type = "bool", default = false, help = "keep utterances already written (resume)"},
    hparams = {type = "list", default = "", help = "overrides key=value,... e.g. max_mel_frames=600"},
    no_alignments = {type = "bool", default = false,
                     help = "use <utt>.txt transcripts (LibriTTS) instead of alignments to split utterances"},
    datasets_name = {type = "string", default = "LibriSpeech",
                     help = "corpus folder under datasets_root (reader=\"\")"},
    subfolders = {type = "list", default = "train-clean-100,train-clean-360", help = "subsets to process"},
    reader = {type = "string", default = "",
              help = "dataset plugin to read the corpus (\"\": RTVC's LibriSpeech walk)"},
  },
  plan = function(a)
    return {{
      stage = "synthesizer_preprocess_audio",
      opts = {datasets_root = a.datasets_root, reader = a.reader, dataset = a.datasets_name,
              subfolders = a.subfolders, out_dir = a.out_dir or vc.fs.join(a.datasets_root, "SV2TTS", "synthesizer"),
              workers = a.n_processes, skip_existing = a.skip_existing, no_alignments = a.no_alignments,
              model_overrides = a.hparams},
      done = function(r) vc.log.info("%d utterances (%.2f h) → %s", r.utterances, r.hours, r.train_txt) end,
    }}
  end,
}
