// Durations of listed utterances from their audio headers (for readers whose metadata lacks them).
#include <map>

#include "voxclone/audio.h"
#include "voxclone/dataset.h"
#include "voxclone/error.h"

namespace voxclone {

void read_durations(DatasetListing& listing) {
  struct Probe {
    bool ok = false;
    int rate = 0;
    double seconds = 0;
  };
  std::map<std::string, Probe> cache;  // subtitle cuts share one file
  std::vector<Utterance> kept;
  kept.reserve(listing.utterances.size());
  for (Utterance& u : listing.utterances) {
    if (u.seconds > 0 && u.sample_rate > 0) {
      kept.push_back(std::move(u));
      continue;
    }
    auto it = cache.find(u.audio);
    if (it == cache.end()) {
      Probe p;
      try {
        AudioInfo info = audio_info(u.audio);
        p = {info.frames > 0 && info.sample_rate > 0, info.sample_rate, info.seconds};
        if (!p.ok) listing.problems.push_back({u.audio, 0, "no audio frames"});
      } catch (const Error& e) {
        listing.problems.push_back({u.audio, 0, std::string("unreadable audio: ") + e.what()});
      }
      it = cache.emplace(u.audio, p).first;
    }
    if (!it->second.ok) continue;
    if (u.seconds <= 0) u.seconds = it->second.seconds;
    if (u.sample_rate <= 0) u.sample_rate = it->second.rate;
    kept.push_back(std::move(u));
  }
  listing.utterances = std::move(kept);
}

}  // namespace voxclone
