// Stage encoder_preprocess: corpora → RTVC's SV2TTS/encoder layout (one folder of mel .npy per speaker).
#include <ATen/core/Tensor.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "stages.h"
#include "voxclone/audio.h"
#include "voxclone/dsp.h"
#include "voxclone/error.h"
#include "voxclone/log.h"
#include "voxclone/npy.h"
#include "voxclone/runtime.h"

namespace voxclone::ge2e {
namespace {

namespace fs = std::filesystem;

/// RTVC's dataset names → a dataset factory and the subsets it reads.
struct DatasetChoice {
  std::string factory;
  std::vector<std::string> subsets;
};

DatasetChoice choose_dataset(const std::string& name) {
  if (name == "librispeech_other") return {"librispeech", {"train-other-500"}};
  if (name == "librispeech_clean") return {"librispeech", {"train-clean-100", "train-clean-360"}};
  if (name == "librispeech") return {"librispeech", {}};
  if (Runtime::instance().registry().has(Kind::Dataset, name)) return {name, {}};
  throw UserError("encoder_preprocess: unknown dataset '" + name +
                  "' (librispeech_other, librispeech_clean, librispeech, or a dataset plugin name: see "
                  "voxclone plugins)");
}

struct SpeakerWork {
  std::string out_name;  ///< <dataset>_<subset>_<speaker>, from the speaker folder's relative path
  fs::path speaker_dir;
  std::vector<const Utterance*> utterances;
};

struct Skip {
  std::string file, why;
};

struct SpeakerResult {
  std::vector<double> durations;
  std::vector<Skip> skipped;
  int64_t written = 0, kept = 0;
};

// The speaker folder of an utterance: the nearest ancestor named like the speaker, else its folder.
fs::path speaker_dir_of(const Utterance& u) {
  fs::path audio(u.audio);
  for (fs::path p = audio.parent_path(); !p.empty() && p != p.root_path(); p = p.parent_path())
    if (p.filename() == u.speaker) return p;
  return audio.parent_path();
}

std::string join_parts(const fs::path& rel) {
  std::string out;
  for (const auto& part : rel) out += (out.empty() ? "" : "_") + part.string();
  return out;
}

// The output file name: the path below the speaker folder joined with '_', extension → .npy (cuts of one
// file get the utterance id appended).
std::string out_name_of(const Utterance& u, const fs::path& speaker_dir) {
  fs::path rel = fs::path(u.audio).lexically_relative(speaker_dir);
  if (rel.empty() || *rel.begin() == "..") rel = fs::path(u.audio).filename();
  rel.replace_extension("");
  std::string name = join_parts(rel);
  if (u.start > 0 || u.end > 0) name += "_" + u.id;
  return name + ".npy";
}

std::set<std::string> existing_sources(const fs::path& sources) {
  std::set<std::string> names;
  std::ifstream in(sources);
  std::string line;
  while (std::getline(in, line)) names.insert(line.substr(0, line.find(',')));
  return names;
}

class PreprocessStage : public Stage {
 public:
  explicit PreprocessStage(const CreateArgs& args) : c_(args.config) {}

  Config run() override {
    std::string root = c_.get_string("datasets_root");
    if (root.empty()) throw UserError("encoder_preprocess: datasets_root is required");
    if (!fs::is_directory(root))
      throw UserError("encoder_preprocess: datasets_root " + root + " is not a folder");
    fs::path out_dir = c_.get_string("out_dir").empty() ? fs::path(root) / "SV2TTS" / "encoder"
                                                        : fs::path(c_.get_string("out_dir"));
    fs::create_directories(out_dir);
    min_frames_ = c_.get_int("partials_n_frames");
    skip_existing_ = c_.get_bool("skip_existing");
    trim_ = !c_.get_bool("no_trim");
    int workers = int(std::max<int64_t>(1, c_.get_int("workers")));

    int64_t speakers = 0, written = 0, skipped = 0, datasets_done = 0;
    for (const ConfigValue& v : std::get<ConfigValue::Array>(c_.get("datasets").v)) {
      const std::string* name = std::get_if<std::string>(&v.v);
      if (name == nullptr) throw UserError("encoder_preprocess: datasets must be a list of names");
      DatasetChoice choice = choose_dataset(*name);
      auto reader = Runtime::instance().create<Dataset>(choice.factory);
      DatasetListing listing;
      try {
        listing = reader->list(root, choice.subsets);
      } catch (const UserError& e) {
        spdlog::warn("encoder_preprocess: skipping {}: {}", *name, e.what());
        continue;
      }
      if (listing.utterances.empty()) {
        spdlog::warn("encoder_preprocess: skipping {}: no utterances under {}", *name, root);
        continue;
      }
      auto r = preprocess_listing(*name, listing, fs::path(root), out_dir, workers);
      speakers += r[0];
      written += r[1];
      skipped += r[2];
      ++datasets_done;
    }
    if (datasets_done == 0)
      throw UserError("encoder_preprocess: none of the datasets was found under " + root);
    Config result;
    result.define("out_dir", out_dir.string());
    result.define("speakers", speakers);
    result.define("utterances", written);
    result.define("skipped", skipped);
    return result;
  }

 private:
  // Returns {speakers, utterances written, utterances skipped}.
  std::array<int64_t, 3> preprocess_listing(const std::string& name, const DatasetListing& listing,
                                            const fs::path& root, const fs::path& out_dir, int workers) {
    std::map<std::string, SpeakerWork> by_dir;
    for (const Utterance& u : listing.utterances) {
      fs::path dir = speaker_dir_of(u);
      fs::path rel = dir.lexically_relative(root);
      std::string out_name = (rel.empty() || *rel.begin() == "..") ? u.speaker : join_parts(rel);
      SpeakerWork& w = by_dir[out_name];
      w.out_name = out_name;
      w.speaker_dir = dir;
      w.utterances.push_back(&u);
    }
    std::vector<SpeakerWork*> work;
    for (auto& [k, w] : by_dir) work.push_back(&w);
    std::vector<SpeakerResult> results(work.size());
    std::atomic<size_t> next{0};
    std::mutex progress_mutex;
    Progress progress(name, int64_t(work.size()), "speakers");
    auto worker = [&] {
      for (size_t i = next++; i < work.size(); i = next++) {
        results[i] = preprocess_speaker(*work[i], out_dir);
        std::lock_guard<std::mutex> lock(progress_mutex);
        progress.advance();
      }
    };
    std::vector<std::thread> threads;
    for (int t = 1; t < std::min<int>(workers, int(work.size())); ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    progress.finish();

    std::array<int64_t, 3> totals{int64_t(work.size()), 0, 0};
    std::vector<double> durations;
    std::vector<Skip> skipped;
    for (auto& r : results) {
      totals[1] += r.written;
      totals[2] += int64_t(r.skipped.size());
      durations.insert(durations.end(), r.durations.begin(), r.durations.end());
      skipped.insert(skipped.end(), r.skipped.begin(), r.skipped.end());
    }
    for (const auto& p : listing.problems) skipped.push_back({p.file, "reader: " + p.message});
    write_log(out_dir / ("Log_" + name + ".txt"), name, durations, skipped);
    spdlog::info("{}: {} speakers, {} utterances written, {} skipped (see {})", name, totals[0], totals[1],
                 skipped.size(), (out_dir / ("Log_" + name + ".txt")).string());
    return totals;
  }

  SpeakerResult preprocess_speaker(const SpeakerWork& w, const fs::path& out_dir) {
    SpeakerResult r;
    fs::path dir = out_dir / w.out_name;
    fs::create_directories(dir);
    fs::path sources = dir / "_sources.txt";
    std::set<std::string> existing = skip_existing_ ? existing_sources(sources) : std::set<std::string>{};
    std::ofstream out(sources, skip_existing_ ? std::ios::app : std::ios::trunc);
    if (!out) throw UserError("encoder_preprocess: cannot write " + sources.string());
    for (const Utterance* u : w.utterances) {
      std::string name = out_name_of(*u, w.speaker_dir);
      if (existing.count(name)) {
        ++r.kept;
        continue;
      }
      try {
        Waveform wav = read_audio(u->audio);
        if (u->start > 0 || u->end > 0) {
          auto a = size_t(std::max(0.0, u->start) * wav.sample_rate);
          auto b = u->end > 0 ? std::min(wav.samples.size(), size_t(u->end * wav.sample_rate))
                              : wav.samples.size();
          wav.samples = std::vector<float>(wav.samples.begin() + std::min(a, b), wav.samples.begin() + b);
        }
        Waveform pre = preprocess_for_encoder(wav, -30.0, true, trim_);
        if (pre.samples.empty()) {
          r.skipped.push_back({u->audio, "empty after preprocessing"});
          continue;
        }
        at::Tensor mel = encoder_mel(pre.samples);
        if (mel.size(0) < min_frames_) {
          r.skipped.push_back({u->audio, "too short: " + std::to_string(mel.size(0)) + " frames < " +
                                             std::to_string(min_frames_)});
          continue;
        }
        write_npy((dir / name).string(), mel);
        out << name << "," << u->audio << "\n";
        r.durations.push_back(double(pre.samples.size()) / pre.sample_rate);
        ++r.written;
      } catch (const Error& e) {
        r.skipped.push_back({u->audio, e.what()});
      }
    }
    return r;
  }

  void write_log(const fs::path& path, const std::string& name, std::vector<double> d,
                 const std::vector<Skip>& skipped) {
    std::ofstream log(path);
    std::time_t now = std::time(nullptr);
    char when[64];
    std::strftime(when, sizeof when, "%A %d %B %Y at %H:%M", std::localtime(&now));
    log << "Creating dataset " << name << " on " << when << "\n-----\nParameter values:\n";
    log << "\taudio_norm_target_dBFS: -30\n\tmel_n_channels: 40\n\tmel_window_length: 25\n\tmel_window_step: "
           "10\n"
        << "\tpartials_n_frames: " << min_frames_
        << "\n\tsampling_rate: 16000\n\ttrim_long_silences: " << (trim_ ? "True" : "False")
        << "\n-----\nStatistics:\n";
    if (!d.empty()) {
      std::sort(d.begin(), d.end());
      double sum = 0;
      for (double x : d) sum += x;
      double median = d.size() % 2 ? d[d.size() / 2] : (d[d.size() / 2 - 1] + d[d.size() / 2]) / 2;
      char line[200];
      std::snprintf(line, sizeof line, "\tduration:\n\t\tmin %.3f, max %.3f\n\t\tmean %.3f, median %.3f\n",
                    d.front(), d.back(), sum / double(d.size()), median);
      log << line;
    }
    log << "-----\nSkipped (" << skipped.size() << "):\n";
    for (const auto& s : skipped) log << "\t" << s.file << ": " << s.why << "\n";
    log << "-----\n";
  }

  Config c_;
  int64_t min_frames_ = 160;
  bool skip_existing_ = false, trim_ = true;
};

}  // namespace

std::unique_ptr<Stage> make_preprocess_stage(const CreateArgs& args) {
  return std::make_unique<PreprocessStage>(args);
}

}  // namespace voxclone::ge2e
