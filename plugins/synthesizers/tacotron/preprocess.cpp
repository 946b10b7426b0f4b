// SV2TTS synthesizer preprocessing stages (RTVC synthesizer/preprocess.py): audio → mels/, audio/, train.txt
// (RTVC's LibriSpeech walk, or any dataset plugin's manifest); then speaker embeddings of every utterance
// into embeds/ with any speaker encoder plugin.
#include <ATen/ATen.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "tacotron_options.h"
#include "tacotron_stages.h"
#include "voxclone/audio.h"
#include "voxclone/dataset.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"
#include "voxclone/files.h"
#include "voxclone/log.h"
#include "voxclone/logmmse.h"
#include "voxclone/npy.h"
#include "voxclone/runtime.h"
#include "voxclone/webrtc_vad.h"

namespace voxclone::tacotron {
namespace fs = std::filesystem;
namespace {

struct PreprocessSettings {
  MelSettings mel;
  bool rescale = true, trim_silence = true, clip_mels_length = true, skip_existing = false, no_alignments = false;
  bool denoise = true;  // logmmse on utterances split with alignments, as RTVC
  double rescaling_max = 0.9, silence_min_duration_split = 0.4, utterance_min_duration = 1.6;
  int64_t max_mel_frames = 900;
  fs::path out_dir;
};

std::vector<fs::path> sorted_entries(const fs::path& dir, bool dirs) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory() == dirs) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string strip(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n\v\f");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n\v\f") - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::string remove_quotes(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '"'), s.end());
  return s;
}

/// One train.txt row, or nothing when the utterance is skipped (process_utterance).
std::optional<std::string> process_utterance(std::vector<float> wav, const std::string& text,
                                             const std::string& basename, const PreprocessSettings& p) {
  fs::path mel_path = p.out_dir / "mels" / ("mel-" + basename + ".npy");
  fs::path wav_path = p.out_dir / "audio" / ("audio-" + basename + ".npy");
  if (p.skip_existing && fs::exists(mel_path) && fs::exists(wav_path)) return std::nullopt;
  if (p.trim_silence) {
    try {
      wav = trim_long_silences(wav, p.mel.sample_rate);
    } catch (const UserError&) {
      return std::nullopt;  // no speech at all
    }
  }
  if (double(wav.size()) < p.utterance_min_duration * p.mel.sample_rate) return std::nullopt;
  at::Tensor mel = synthesizer_mel(wav, p.mel);
  int64_t frames = mel.size(1);
  if (frames > p.max_mel_frames && p.clip_mels_length) return std::nullopt;
  write_npy(mel_path.string(), mel.t().contiguous());
  write_npy(wav_path.string(), at::from_blob(wav.data(), {int64_t(wav.size())}, at::kFloat).clone());
  std::ostringstream row;
  row << wav_path.filename().string() << "|" << mel_path.filename().string() << "|embed-" << basename << ".npy|"
      << wav.size() << "|" << frames << "|" << text;
  return row.str();
}

std::vector<float> load_rescaled(const fs::path& path, const PreprocessSettings& p) {
  Waveform w = read_audio(path.string(), p.mel.sample_rate);
  if (p.rescale) rescale_peak(w.samples, float(p.rescaling_max));
  return std::move(w.samples);
}

/// RTVC's split_on_silences: cut at silences of at least silence_min_duration_split, denoise the whole
/// utterance with logmmse profiled on those silences (and the leading and trailing ones), re-attach segments
/// shorter than utterance_min_duration to their shorter neighbour (unless that makes one longer than
/// max_mel_frames); texts = the words of each segment.
std::vector<std::pair<std::vector<float>, std::string>> split_on_silences(std::vector<float> wav,
                                                                         const std::vector<std::string>& words,
                                                                         const std::vector<double>& ends,
                                                                         const PreprocessSettings& p) {
  size_t n = words.size();
  if (n < 2 || ends.size() != n || !words.front().empty() || !words.back().empty())
    throw UserError("alignment: expected words and end times of equal length, starting and ending with silence");
  std::vector<double> starts(n);
  starts[0] = 0.0;
  for (size_t i = 1; i < n; ++i) starts[i] = ends[i - 1];
  std::vector<size_t> breaks;
  for (size_t i = 0; i < n; ++i)
    if (i == 0 || i == n - 1 || (words[i].empty() && ends[i] - starts[i] >= p.silence_min_duration_split))
      breaks.push_back(i);
  // Sample index of a time as numpy's astype(int) of the float64 product, clamped like a slice bound.
  const auto sample_at = [&](double t) {
    return std::min(wav.size(), size_t(std::max(0.0, t * p.mel.sample_rate)));
  };
  if (p.denoise) {
    std::vector<float> noise;
    for (size_t b : breaks) {
      const size_t from = sample_at(starts[b]), to = sample_at(ends[b]);
      if (to > from) noise.insert(noise.end(), wav.begin() + long(from), wav.begin() + long(to));
    }
    // RTVC profiles only more than 20 ms of pause, and keeps the noise estimate fixed (eta 0).
    // Pauses of digital silence give no noise estimate (RTVC's output would be NaN): that audio stays as is.
    if (double(noise.size()) > p.mel.sample_rate * 0.02) {
      const NoiseProfile profile = logmmse_profile_noise(noise, p.mel.sample_rate);
      if (logmmse_profile_usable(profile)) wav = logmmse_denoise(wav, profile, 0.0);
    }
  }
  std::vector<std::pair<size_t, size_t>> segments;
  std::vector<double> durations;
  for (size_t k = 0; k + 1 < breaks.size(); ++k) {
    segments.emplace_back(breaks[k], breaks[k + 1]);
    durations.push_back(starts[breaks[k + 1]] - ends[breaks[k]]);
  }
  double max_len = double(p.mel.hop_size) * double(p.max_mel_frames) / p.mel.sample_rate;
  size_t i = 0;
  while (i < segments.size() && segments.size() > 1) {
    if (durations[i] < p.utterance_min_duration) {
      double inf = std::numeric_limits<double>::infinity();
      double left = i == 0 ? inf : durations[i - 1], right = i == segments.size() - 1 ? inf : durations[i + 1];
      double joined = durations[i] + std::min(left, right);
      if (joined > max_len) {
        ++i;
        continue;
      }
      size_t j = left <= right ? i - 1 : i;
      segments[j].second = segments[j + 1].second;
      durations[j] = joined;
      segments.erase(segments.begin() + long(j) + 1);
      durations.erase(durations.begin() + long(j) + 1);
    } else {
      ++i;
    }
  }
  std::vector<std::pair<std::vector<float>, std::string>> out;
  for (const auto& [s, e] : segments) {
    const size_t a = sample_at(ends[s]), b = std::max(a, sample_at(starts[e]));
    std::string text;
    for (size_t k = s + 1; k < e; ++k) text += (k > s + 1 ? " " : "") + words[k];
    for (size_t pos; (pos = text.find("  ")) != std::string::npos;) text.replace(pos, 2, " ");
    out.emplace_back(std::vector<float>(wav.begin() + long(a), wav.begin() + long(b)), text);
  }
  return out;
}

std::vector<std::string> preprocess_speaker(const fs::path& speaker_dir, const PreprocessSettings& p) {
  std::vector<std::string> rows;
  auto add = [&](std::optional<std::string> r) {
    if (r) rows.push_back(std::move(*r));
  };
  for (const auto& book : sorted_entries(speaker_dir, true)) {
    if (p.no_alignments) {
      for (const char* ext : {".wav", ".flac", ".mp3"})
        for (const auto& f : sorted_entries(book, false)) {
          if (f.extension() != ext) continue;
          fs::path txt = fs::path(f).replace_extension(".txt");
          if (!fs::exists(txt)) txt = fs::path(f).replace_extension(".normalized.txt");
          if (!fs::exists(txt)) throw UserError(f.string() + ": no .txt or .normalized.txt transcript next to it");
          std::ifstream in(txt);
          std::stringstream ss;
          ss << in.rdbuf();
          add(process_utterance(load_rescaled(f, p), strip(remove_quotes(ss.str())), f.stem().string(), p));
        }
      continue;
    }
    fs::path align;
    for (const auto& f : sorted_entries(book, false))
      if (f.filename().string().size() > 14 &&
          f.filename().string().compare(f.filename().string().size() - 14, 14, ".alignment.txt") == 0)
        align = f;
    if (align.empty()) continue;  // a few LibriSpeech chapters have no alignments
    std::ifstream in(align);
    std::string line;
    while (std::getline(in, line)) {
      line = strip(line);
      if (line.empty()) continue;
      auto parts = split(line, ' ');
      if (parts.size() != 3) throw UserError(align.string() + ": expected '<utterance> \"words\" \"times\"' lines");
      fs::path audio = book / (parts[0] + ".flac");
      if (!fs::exists(audio)) throw UserError(audio.string() + ": missing (listed in " + align.string() + ")");
      std::vector<std::string> words = split(remove_quotes(parts[1]), ',');
      std::vector<double> ends;
      for (const auto& t : split(remove_quotes(parts[2]), ',')) ends.push_back(std::stod(t));
      auto pieces = split_on_silences(load_rescaled(audio, p), words, ends, p);
      for (size_t i = 0; i < pieces.size(); ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "_%02zu", i);
        add(process_utterance(std::move(pieces[i].first), pieces[i].second, parts[0] + name, p));
      }
    }
  }
  return rows;
}

/// A dataset plugin's utterance id as a file-name part (VoxCeleb ids hold '/').
std::string file_part(std::string id) {
  for (char& c : id)
    if (c == '/' || c == '\\' || c == ' ' || c == '\t' || c == '|') c = '_';
  return id;
}

/// The utterances of one speaker from a dataset plugin's manifest: the segment of each (subtitle cues), split
/// on the silences of its word alignment when it has one (as the LibriSpeech walk does), else whole with its
/// transcript. Utterances without text are skipped, as MockingBird's preprocessing skips them.
std::vector<std::string> preprocess_listed(const std::vector<const Utterance*>& utterances,
                                           const PreprocessSettings& p) {
  std::vector<std::string> rows;
  std::string loaded_path;  // cues of one long recording come in a row: decode it once
  std::vector<float> loaded;
  for (const Utterance* u : utterances) {
    if (strip(u->text).empty()) continue;
    if (u->audio != loaded_path) {
      loaded = read_audio(u->audio, p.mel.sample_rate).samples;
      loaded_path = u->audio;
    }
    auto rate = double(p.mel.sample_rate);
    auto a = std::min(loaded.size(), size_t(std::max(0.0, u->start * rate)));
    size_t b = u->end > 0 ? std::min(loaded.size(), size_t(u->end * rate)) : loaded.size();
    std::vector<float> wav(loaded.begin() + long(a), loaded.begin() + long(std::max(a, b)));
    if (p.rescale) rescale_peak(wav, float(p.rescaling_max));
    std::string base = file_part(u->id);
    if (!p.no_alignments && !u->alignment.empty()) {
      std::vector<std::string> words;
      std::vector<double> ends;
      for (const auto& w : u->alignment) {
        words.push_back(w.word);
        ends.push_back(w.end - u->start);
      }
      auto pieces = split_on_silences(wav, words, ends, p);
      for (size_t i = 0; i < pieces.size(); ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "_%02zu", i);
        if (auto r = process_utterance(std::move(pieces[i].first), pieces[i].second, base + name, p))
          rows.push_back(std::move(*r));
      }
    } else if (auto r = process_utterance(std::move(wav), strip(u->text), base + "_00", p)) {
      rows.push_back(std::move(*r));
    }
  }
  return rows;
}

class PreprocessAudioStage : public Stage {
 public:
  explicit PreprocessAudioStage(const CreateArgs& a) : cfg_(a.config) {}
  Config run() override {
    PreprocessSettings p;
    Config model_cfg =
        Runtime::instance().resolve_config(Kind::Synthesizer, "tacotron", apply_model_overrides(cfg_));
    p.mel = mel_settings_from(model_cfg);
    p.rescale = cfg_.get_bool("rescale");
    p.rescaling_max = cfg_.get_double("rescaling_max");
    p.trim_silence = cfg_.get_bool("trim_silence");
    // Checked here: process_utterance takes trim_long_silences' UserError for "no speech", which would
    // otherwise skip every utterance in silence.
    const int vad_window = VadParams{}.window_ms * p.mel.sample_rate / 1000;
    if (p.trim_silence && !WebRtcVad::valid_frame(p.mel.sample_rate, size_t(vad_window)))
      throw UserError("synthesizer_preprocess_audio: trim_silence uses webrtcvad, which takes 8000, 16000, 32000 "
                      "or 48000 Hz; the model's sample_rate is " + std::to_string(p.mel.sample_rate) +
                      " (set trim_silence = false)");
    p.clip_mels_length = cfg_.get_bool("clip_mels_length");
    p.max_mel_frames = cfg_.get_int("max_mel_frames");
    p.silence_min_duration_split = cfg_.get_double("silence_min_duration_split");
    p.utterance_min_duration = cfg_.get_double("utterance_min_duration");
    p.skip_existing = cfg_.get_bool("skip_existing");
    p.no_alignments = cfg_.get_bool("no_alignments");
    p.denoise = cfg_.get_bool("denoise");
    std::string root = cfg_.get_string("datasets_root"), out = cfg_.get_string("out_dir");
    if (root.empty() || out.empty()) throw UserError("synthesizer_preprocess_audio: datasets_root and out_dir are required");
    p.out_dir = out;
    std::vector<std::string> subfolders;
    for (const auto& v : std::get<ConfigValue::Array>(cfg_.get("subfolders").v))
      subfolders.push_back(strip(std::get<std::string>(v.v)));

    // One job per speaker: a folder of RTVC's walk, or the utterances a dataset plugin lists for the speaker.
    std::vector<std::string> job_names;
    std::vector<std::function<std::vector<std::string>()>> jobs;
    DatasetListing listing;  // both outlive the jobs that point into them
    std::map<std::string, std::vector<const Utterance*>> by_speaker;
    const std::string reader = cfg_.get_string("reader");
    if (reader.empty()) {
      fs::path dataset_root = fs::path(root) / cfg_.get_string("dataset");
      for (const auto& sub : subfolders) {
        fs::path d = dataset_root / sub;
        if (!fs::is_directory(d)) throw UserError("synthesizer_preprocess_audio: no folder " + d.string());
        for (const auto& s : sorted_entries(d, true)) {
          job_names.push_back(s.string());
          jobs.emplace_back([s, &p] { return preprocess_speaker(s, p); });
        }
      }
    } else {
      listing = Runtime::instance().create<Dataset>(reader)->list(root, subfolders);
      for (const auto& problem : listing.problems) spdlog::warn("{}: {}", reader, problem_text(problem));
      for (const auto& u : listing.utterances) by_speaker[u.speaker].push_back(&u);
      size_t without_text = 0;
      for (auto& [speaker, list] : by_speaker) {
        std::stable_sort(list.begin(), list.end(),
                         [](const Utterance* a, const Utterance* b) { return a->audio < b->audio; });
        for (const Utterance* u : list) without_text += strip(u->text).empty() ? 1 : 0;
        job_names.push_back(reader + " speaker " + speaker);
        jobs.emplace_back([&list = list, &p] { return preprocess_listed(list, p); });
      }
      spdlog::info("synthesizer_preprocess_audio: {} lists {} utterances of {} speakers{}", reader,
                   listing.utterances.size(), by_speaker.size(),
                   without_text ? " (" + std::to_string(without_text) + " without text, skipped)" : "");
      if (listing.utterances.empty())
        throw UserError("synthesizer_preprocess_audio: " + reader + " lists no utterances under " + root);
    }
    fs::create_directories(p.out_dir / "mels");
    fs::create_directories(p.out_dir / "audio");

    std::vector<std::vector<std::string>> rows(jobs.size());
    std::atomic<size_t> next{0};
    std::mutex err_mutex;
    std::string error;
    Progress progress("speakers", int64_t(jobs.size()), "spk");
    auto worker = [&] {
      for (size_t i; (i = next++) < jobs.size();) {
        try {
          rows[i] = jobs[i]();
        } catch (const std::exception& e) {
          std::lock_guard<std::mutex> lock(err_mutex);
          if (error.empty()) error = job_names[i] + ": " + e.what();
        }
        std::lock_guard<std::mutex> lock(err_mutex);
        progress.advance();
      }
    };
    int64_t n_workers = std::max<int64_t>(1, cfg_.get_int("workers"));
    std::vector<std::thread> threads;
    for (int64_t t = 0; t < n_workers; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    progress.finish();
    if (!error.empty()) throw UserError("synthesizer_preprocess_audio: " + error);

    fs::path meta = p.out_dir / "train.txt";
    std::string previous;
    if (p.skip_existing && fs::exists(meta)) {
      std::ifstream in(meta);
      std::stringstream ss;
      ss << in.rdbuf();
      previous = ss.str();
    }
    int64_t count = 0, frames = 0, samples = 0;
    AtomicFile f(meta.string());
    {
      std::ofstream o(f.temp_path());
      o << previous;
      for (const auto& speaker_rows : rows)
        for (const auto& r : speaker_rows) {
          o << r << "\n";
          auto parts = split(r, '|');
          samples += std::stoll(parts[3]);
          frames += std::stoll(parts[4]);
          ++count;
        }
    }
    f.commit();
    spdlog::info("synthesizer_preprocess_audio: {} new utterances, {} mel frames, {:.2f} hours", count, frames,
                 double(samples) / p.mel.sample_rate / 3600.0);
    Config res("synthesizer_preprocess_audio");
    res.define("train_txt", meta.string());
    res.define("utterances", count);
    res.define("mel_frames", frames);
    res.define("hours", double(samples) / p.mel.sample_rate / 3600.0);
    return res;
  }

 private:
  Config cfg_;
};

class PreprocessEmbedsStage : public Stage {
 public:
  explicit PreprocessEmbedsStage(const CreateArgs& a) : cfg_(a.config), checkpoint_(a.checkpoint) {}
  Config run() override {
    fs::path syn = cfg_.get_string("syn_dir");
    if (syn.empty()) throw UserError("synthesizer_preprocess_embeds: syn_dir is required");
    fs::path meta = syn / "train.txt";
    std::ifstream in(meta);
    if (!in) throw UserError("synthesizer_preprocess_embeds: cannot read " + meta.string());
    std::vector<std::pair<fs::path, fs::path>> jobs;
    std::string line;
    while (std::getline(in, line)) {
      if (strip(line).empty()) continue;
      auto parts = split(line, '|');
      if (parts.size() < 6) throw UserError(meta.string() + ": expected 6 '|'-separated fields");
      jobs.emplace_back(syn / "audio" / parts[0], syn / "embeds" / parts[2]);
    }
    fs::create_directories(syn / "embeds");
    auto encoder = Runtime::instance().create<SpeakerEncoder>(cfg_.get_string("encoder"), checkpoint_);
    Progress progress("embeds", int64_t(jobs.size()), "utt");
    for (const auto& [wav_path, embed_path] : jobs) {
      at::Tensor samples = read_npy(wav_path.string()).to(at::kFloat).contiguous();
      Waveform w;
      w.sample_rate = encoder->sample_rate();
      w.samples.assign(samples.data_ptr<float>(), samples.data_ptr<float>() + samples.numel());
      write_npy(embed_path.string(), encoder->embed(w, true).to(at::kFloat).contiguous());
      progress.advance();
    }
    Config res("synthesizer_preprocess_embeds");
    res.define("embeds", (syn / "embeds").string());
    res.define("utterances", int64_t(jobs.size()));
    return res;
  }

 private:
  Config cfg_;
  std::string checkpoint_;
};

std::unique_ptr<Stage> make_audio(const CreateArgs& a) { return std::make_unique<PreprocessAudioStage>(a); }
std::unique_ptr<Stage> make_embeds(const CreateArgs& a) { return std::make_unique<PreprocessEmbedsStage>(a); }

}  // namespace

void register_preprocess_stages(Registry& r) {
  r.add<Stage>("synthesizer_preprocess_audio", &make_audio,
               "SV2TTS synthesizer data (mels/, audio/, train.txt) from LibriSpeech-style folders");
  r.add<Stage>("synthesizer_preprocess_embeds", &make_embeds,
               "Speaker embeddings of every train.txt utterance (embeds/) with an encoder plugin");
}

}  // namespace voxclone::tacotron
