-- Stage recipe encoder_preprocess (RTVC encoder_preprocess.py): corpora → SV2TTS/encoder mels for GE2E training.
local vc = require "voxclone"

return {
  description = "Preprocesses speech corpora under DATASETS_ROOT into RTVC's SV2TTS/encoder layout: one folder per " ..
    "speaker, one frames x 40 mel .npy per utterance, _sources.txt, and a Log_<dataset>.txt with the skipped " ..
    "files. RTVC's arguments; silence trimming needs no webrtcvad here (core has a bit-exact port of it).",
  args = {
    datasets_root = {type = "path", required = true, help = "folder holding LibriSpeech/, VoxCeleb1/, VoxCeleb2/ ..."},
    out_dir = {type = "path", help = "output folder (default: <datasets_root>/SV2TTS/encoder)"},
    datasets = {type = "list", default = "librispeech_other,voxceleb1,voxceleb2",
                help = "librispeech_other, librispeech_clean, librispeech, voxceleb1, voxceleb2, timit, vctk, " ..
                  "or any dataset plugin"},
    skip_existing = {type = "bool", default = false, help = "keep utterances already preprocessed (resume)"},
    no_trim = {type = "bool", default = false, help = "do not trim long silences (not recommended)"},
    n_processes = {type = "int", default = 2, help = "speakers processed in parallel"},
  },
  plan = function(a)
    return {{
      stage = "encoder_preprocess",
      opts = {datasets_root = a.datasets_root, out_dir = a.out_dir, datasets = a.datasets,
              skip_existing = a.skip_existing, no_trim = a.no_trim, workers = a.n_processes},
      done = function(r)
        vc.log.info("%s: %d speakers, %d utterances written, %d skipped", r.out_dir, r.speakers, r.utterances,
                    r.skipped)
      end,
    }}
  end,
}
