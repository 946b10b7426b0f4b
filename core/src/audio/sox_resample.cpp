// Resampling in memory through a libsox effects chain: our buffer → "rate -v" → our buffer.
#include <sox.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "voxclone/audio.h"
#include "voxclone/error.h"

namespace voxclone {
namespace {

// sox_sample_t is int32. Mapping ±1.0 to ±2^30 (not 2^31) leaves 6 dB of headroom, so inputs slightly
// above full scale and the filter's overshoot survive instead of clipping; 30 bits still exceed a
// float's 24-bit mantissa.
constexpr double kSampleScale = 1073741824.0;  // 2^30

struct Feed {
  const std::vector<float>* in = nullptr;
  size_t pos = 0;
};
struct Sink {
  std::vector<float>* out = nullptr;
};

int feed_drain(sox_effect_t* effp, sox_sample_t* obuf, size_t* osamp) {
  Feed* feed = *static_cast<Feed**>(effp->priv);
  const size_t n = std::min(*osamp, feed->in->size() - feed->pos);
  for (size_t i = 0; i < n; ++i) {
    double v = double((*feed->in)[feed->pos + i]) * kSampleScale;
    v = std::clamp(v, double(SOX_SAMPLE_MIN), double(SOX_SAMPLE_MAX));
    obuf[i] = sox_sample_t(std::lrint(v));
  }
  feed->pos += n;
  *osamp = n;
  return n > 0 ? SOX_SUCCESS : SOX_EOF;
}

int sink_flow(sox_effect_t* effp, const sox_sample_t* ibuf, sox_sample_t* /*obuf*/, size_t* isamp,
              size_t* osamp) {
  Sink* sink = *static_cast<Sink**>(effp->priv);
  for (size_t i = 0; i < *isamp; ++i) sink->out->push_back(float(double(ibuf[i]) / kSampleScale));
  *osamp = 0;
  return SOX_SUCCESS;
}

const sox_effect_handler_t* feed_handler() {
  static const sox_effect_handler_t h = {"voxclone_feed", nullptr, SOX_EFF_MCHAN, nullptr, nullptr, nullptr,
                                         feed_drain,      nullptr, nullptr,       sizeof(Feed*)};
  return &h;
}
const sox_effect_handler_t* sink_handler() {
  static const sox_effect_handler_t h = {"voxclone_sink", nullptr, SOX_EFF_MCHAN, nullptr, nullptr, sink_flow,
                                         nullptr,         nullptr, nullptr,       sizeof(Sink*)};
  return &h;
}

// libsox keeps global state (effect table, message handler), and sox_find_effect fills some effects'
// usage texts lazily and unsynchronised (two threads looking up an effect at once corrupted the heap in
// the threaded synthesizer preprocessing). So sox_init and the lookup of 'rate' happen exactly once per
// process; after that each call builds its own chain, and concurrent resample() calls share nothing mutable.
const sox_effect_handler_t* rate_handler_once() {
  static std::once_flag once;
  static int status = SOX_SUCCESS;
  static const sox_effect_handler_t* rate = nullptr;
  std::call_once(once, [] {
    status = sox_init();
    // Silence libsox's stderr chatter; failures are reported through return codes.
    sox_get_globals()->verbosity = 0;
    if (status == SOX_SUCCESS) rate = sox_find_effect("rate");
  });
  if (status != SOX_SUCCESS) throw InternalError("libsox initialisation failed (sox_init)");
  if (!rate) throw InternalError("libsox has no 'rate' effect");
  return rate;
}

struct ChainDeleter {
  void operator()(sox_effects_chain_t* c) const { sox_delete_effects_chain(c); }
};

// Adds `e` to the chain; libsox copies the struct, so ours is freed here either way.
void add_effect(sox_effects_chain_t* chain, sox_effect_t* e, sox_signalinfo_t* in, const sox_signalinfo_t* out,
                const char* what) {
  int rc = sox_add_effect(chain, e, in, out);
  std::free(e);
  if (rc != SOX_SUCCESS) throw InternalError(std::string("libsox: cannot add the ") + what + " effect");
}

}  // namespace

Waveform resample(const Waveform& wav, int target_rate) {
  if (wav.sample_rate <= 0 || target_rate <= 0)
    throw UserError("resample: invalid sample rates " + std::to_string(wav.sample_rate) + " -> " +
                    std::to_string(target_rate));
  if (target_rate == wav.sample_rate || wav.samples.empty()) {
    Waveform copy = wav;
    copy.sample_rate = target_rate;
    return copy;
  }
  const sox_effect_handler_t* rate = rate_handler_once();

  // SoX ends the output near n * ratio, possibly short of floor(n * ratio). Trailing zeros (resampy,
  // too, sees zeros past the end) let the filter produce every sample librosa computes.
  std::vector<float> padded = wav.samples;
  padded.resize(wav.samples.size() + size_t(16 + 4 * (wav.sample_rate / target_rate + 1)), 0.0f);

  std::vector<float> raw;
  raw.reserve(size_t(double(wav.samples.size()) * target_rate / wav.sample_rate) + 64);
  Feed feed{&padded, 0};
  Sink sink{&raw};

  sox_signalinfo_t signal{};
  signal.rate = wav.sample_rate;
  signal.channels = 1;
  signal.precision = 32;
  signal.length = padded.size();
  sox_signalinfo_t out_signal = signal;
  out_signal.rate = target_rate;
  out_signal.length = SOX_UNKNOWN_LEN;
  sox_encodinginfo_t encoding{};
  encoding.encoding = SOX_ENCODING_FLOAT;
  encoding.bits_per_sample = 32;

  std::unique_ptr<sox_effects_chain_t, ChainDeleter> chain(sox_create_effects_chain(&encoding, &encoding));
  if (!chain) throw InternalError("libsox: cannot create an effects chain");

  sox_effect_t* e = sox_create_effect(feed_handler());
  *static_cast<Feed**>(e->priv) = &feed;
  add_effect(chain.get(), e, &signal, &signal, "input");

  e = sox_create_effect(rate);
  char opt_v[] = "-v";  // very high quality: 95% bandwidth, 175 dB rejection, linear phase
  char* args[] = {opt_v};
  if (sox_effect_options(e, 1, args) != SOX_SUCCESS) {
    std::free(e);
    throw InternalError("libsox: rate -v rejected its options");
  }
  add_effect(chain.get(), e, &signal, &out_signal, "rate");

  e = sox_create_effect(sink_handler());
  *static_cast<Sink**>(e->priv) = &sink;
  add_effect(chain.get(), e, &signal, &signal, "output");

  int rc = sox_flow_effects(chain.get(), nullptr, nullptr);
  if (rc != SOX_SUCCESS && rc != SOX_EOF) throw InternalError("libsox: resampling failed");

  // librosa's length convention: resampy computes floor(n * ratio) samples and librosa zero-pads them
  // to int(ceil(n * ratio)) (util.fix_length), so the last sample can be a padding zero there too.
  const double ratio = double(target_rate) / double(wav.sample_rate);
  const size_t computed = size_t(std::floor(double(wav.samples.size()) * ratio));
  const size_t want = size_t(std::ceil(double(wav.samples.size()) * ratio));
  raw.resize(std::min(raw.size(), computed));
  raw.resize(want, 0.0f);
  Waveform out;
  out.samples = std::move(raw);
  out.sample_rate = target_rate;
  return out;
}

}  // namespace voxclone
