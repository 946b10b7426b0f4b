// Audio file reading, header inspection and atomic WAV/FLAC writing on top of libsndfile.
#include <sndfile.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <sstream>
#include <system_error>
#include <unistd.h>

#include "ffmpeg_decode.h"
#include "voxclone/audio.h"
#include "voxclone/error.h"

namespace fs = std::filesystem;

namespace voxclone {
namespace {

// Frames decoded per sf_readf_float call. Reading in bounded chunks until EOF (instead of allocating
// what the header claims) is what keeps a header announcing 2^40 frames from exhausting memory.
constexpr sf_count_t kChunkFrames = 16384;

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw UserError(path + ": " + what);
}

// One line, whatever libsndfile put in its message.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// Checks what libsndfile's messages would leave vague (missing, directory, empty), then opens.
SndfilePtr open_for_read(const std::string& path, SF_INFO& info) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) fail(path, "no such file");
  if (fs::is_directory(status)) fail(path, "is a directory, not an audio file");
  auto size = fs::file_size(path, ec);
  if (!ec && size == 0) fail(path, "empty file (0 bytes)");
  info = SF_INFO{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (!f) fail(path, "not readable audio (" + one_line(sf_strerror(nullptr)) + ")");
  SndfilePtr file(f);
  if (info.channels <= 0) fail(path, "header declares no channels");
  if (info.samplerate <= 0) fail(path, "header declares sample rate " + std::to_string(info.samplerate));
  return file;
}

std::string major_name(int format) {
  switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: return "WAV";
    case SF_FORMAT_AIFF: return "AIFF";
    case SF_FORMAT_AU: return "AU";
    case SF_FORMAT_RAW: return "RAW";
    case SF_FORMAT_PAF: return "PAF";
    case SF_FORMAT_SVX: return "SVX";
    case SF_FORMAT_NIST: return "NIST";
    case SF_FORMAT_VOC: return "VOC";
    case SF_FORMAT_IRCAM: return "IRCAM";
    case SF_FORMAT_W64: return "W64";
    case SF_FORMAT_MAT4: return "MAT4";
    case SF_FORMAT_MAT5: return "MAT5";
    case SF_FORMAT_PVF: return "PVF";
    case SF_FORMAT_XI: return "XI";
    case SF_FORMAT_HTK: return "HTK";
    case SF_FORMAT_SDS: return "SDS";
    case SF_FORMAT_AVR: return "AVR";
    case SF_FORMAT_WAVEX: return "WAVEX";
    case SF_FORMAT_SD2: return "SD2";
    case SF_FORMAT_FLAC: return "FLAC";
    case SF_FORMAT_CAF: return "CAF";
    case SF_FORMAT_WVE: return "WVE";
    case SF_FORMAT_OGG: return "OGG";
    case SF_FORMAT_MPC2K: return "MPC2K";
    case SF_FORMAT_RF64: return "RF64";
    case SF_FORMAT_MPEG: return "MPEG";
    default: return "UNKNOWN";
  }
}

// The same names python-soundfile uses, so `voxclone info` reads like the Python tools.
std::string subtype_name(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: return "PCM_S8";
    case SF_FORMAT_PCM_16: return "PCM_16";
    case SF_FORMAT_PCM_24: return "PCM_24";
    case SF_FORMAT_PCM_32: return "PCM_32";
    case SF_FORMAT_PCM_U8: return "PCM_U8";
    case SF_FORMAT_FLOAT: return "FLOAT";
    case SF_FORMAT_DOUBLE: return "DOUBLE";
    case SF_FORMAT_ULAW: return "ULAW";
    case SF_FORMAT_ALAW: return "ALAW";
    case SF_FORMAT_IMA_ADPCM: return "IMA_ADPCM";
    case SF_FORMAT_MS_ADPCM: return "MS_ADPCM";
    case SF_FORMAT_GSM610: return "GSM610";
    case SF_FORMAT_VOX_ADPCM: return "VOX_ADPCM";
    case SF_FORMAT_G721_32: return "G721_32";
    case SF_FORMAT_G723_24: return "G723_24";
    case SF_FORMAT_G723_40: return "G723_40";
    case SF_FORMAT_DWVW_12: return "DWVW_12";
    case SF_FORMAT_DWVW_16: return "DWVW_16";
    case SF_FORMAT_DWVW_24: return "DWVW_24";
    case SF_FORMAT_DWVW_N: return "DWVW_N";
    case SF_FORMAT_DPCM_8: return "DPCM_8";
    case SF_FORMAT_DPCM_16: return "DPCM_16";
    case SF_FORMAT_VORBIS: return "VORBIS";
    case SF_FORMAT_OPUS: return "OPUS";
    case SF_FORMAT_ALAC_16: return "ALAC_16";
    case SF_FORMAT_ALAC_20: return "ALAC_20";
    case SF_FORMAT_ALAC_24: return "ALAC_24";
    case SF_FORMAT_ALAC_32: return "ALAC_32";
    case SF_FORMAT_MPEG_LAYER_I: return "MPEG_LAYER_I";
    case SF_FORMAT_MPEG_LAYER_II: return "MPEG_LAYER_II";
    case SF_FORMAT_MPEG_LAYER_III: return "MPEG_LAYER_III";
    default: return "UNKNOWN";
  }
}

// libsndfile's string slots, under the names used in AudioInfo::metadata and write_wav.
struct StringSlot {
  const char* key;
  int id;
};
constexpr StringSlot kStringSlots[] = {
    {"title", SF_STR_TITLE},     {"copyright", SF_STR_COPYRIGHT}, {"software", SF_STR_SOFTWARE},
    {"artist", SF_STR_ARTIST},   {"comment", SF_STR_COMMENT},     {"date", SF_STR_DATE},
    {"album", SF_STR_ALBUM},     {"license", SF_STR_LICENSE},     {"tracknumber", SF_STR_TRACKNUMBER},
    {"genre", SF_STR_GENRE},
};

// libsndfile logs, but does not report as an error, a WAV/RF64 whose data chunk claims more than the
// file holds: it silently shortens the stream. The log is the only place that says the file was cut.
// (tests/core/audio checks both messages, so a libsndfile that words them differently is noticed.)
bool log_says_truncated(SNDFILE* f) {
  char log[8192] = {0};
  sf_command(f, SFC_GET_LOG_INFO, log, sizeof(log) - 1);
  // Only the data chunk's own complaints count ("data : N (should be M)" for WAV, "Calculated frame
  // count ... does not match ... 'ds64'" for RF64): other chunks' oddities are harmless.
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    const bool data_line = line.rfind("data", 0) == 0 && line.find("should be") != std::string::npos;
    const bool frame_count = line.find("frame count") != std::string::npos &&
                             line.find("does not match") != std::string::npos;
    if (data_line || frame_count || line.find("truncated") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

AudioInfo audio_info(const std::string& path) {
  if (detail::use_ffmpeg(path)) return detail::ffmpeg_audio_info(path);  // AAC/MP4: libsndfile can't
  SF_INFO sfinfo;
  SndfilePtr file = open_for_read(path, sfinfo);
  AudioInfo info;
  info.format = major_name(sfinfo.format);
  info.subtype = subtype_name(sfinfo.format);
  info.sample_rate = sfinfo.samplerate;
  info.channels = sfinfo.channels;
  info.frames = sfinfo.frames;
  info.seconds = double(sfinfo.frames) / sfinfo.samplerate;
  for (const auto& slot : kStringSlots) {
    if (const char* v = sf_get_string(file.get(), slot.id)) {
      if (*v) info.metadata[slot.key] = v;
    }
  }
  return info;
}

Waveform read_audio(const std::string& path) {
  if (detail::use_ffmpeg(path)) return detail::ffmpeg_read_audio(path);  // AAC/MP4: libsndfile can't
  SF_INFO sfinfo;
  SndfilePtr file = open_for_read(path, sfinfo);
  SNDFILE* f = file.get();
  // Integer PCM → float as x / 2^(bits-1) (int16 / 32768), the conversion librosa/soundfile get.
  sf_command(f, SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);
  const int channels = sfinfo.channels;

  Waveform out;
  out.sample_rate = sfinfo.samplerate;
  std::vector<float> chunk(size_t(kChunkFrames) * size_t(channels));
  sf_count_t total = 0;
  for (;;) {
    sf_count_t got = sf_readf_float(f, chunk.data(), kChunkFrames);
    if (got <= 0) break;
    const size_t base = out.samples.size();
    out.samples.resize(base + size_t(got));
    for (sf_count_t i = 0; i < got; ++i) {
      const float* frame = chunk.data() + size_t(i) * size_t(channels);
      if (channels == 1) {
        out.samples[base + size_t(i)] = frame[0];
        continue;
      }
      // Sum in float then divide, as numpy's float32 mean over the channel axis does.
      float sum = 0.0f;
      for (int c = 0; c < channels; ++c) sum += frame[c];
      out.samples[base + size_t(i)] = sum / float(channels);
    }
    total += got;
  }
  if (int err = sf_error(f); err != SF_ERR_NO_ERROR)
    fail(path, "decoding failed after " + std::to_string(total) + " frames (" + one_line(sf_error_number(err)) +
                   ")");
  // Formats with a known length must deliver all of it; MPEG and some OGG streams report estimates.
  const int major = sfinfo.format & SF_FORMAT_TYPEMASK;
  const bool length_exact = major != SF_FORMAT_MPEG && major != SF_FORMAT_OGG;
  if (length_exact && sfinfo.frames > 0 && sfinfo.frames != SF_COUNT_MAX && total < sfinfo.frames)
    fail(path, "truncated: header declares " + std::to_string(sfinfo.frames) + " frames, only " +
                   std::to_string(total) + " could be read");
  if (total > 0 && (major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX || major == SF_FORMAT_RF64) &&
      log_says_truncated(f))
    fail(path, "truncated: the data chunk is shorter than its header says");
  if (total == 0) fail(path, "contains no audio samples (zero length)");
  for (size_t i = 0; i < out.samples.size(); ++i) {
    if (!std::isfinite(out.samples[i]))
      fail(path, "non-finite sample (NaN or Inf) at frame " + std::to_string(i));
  }
  return out;
}

Waveform read_audio(const std::string& path, int target_rate) {
  Waveform w = read_audio(path);
  if (target_rate > 0 && target_rate != w.sample_rate) return resample(w, target_rate);
  return w;
}

void write_wav(const std::string& path, const Waveform& wav, SampleFormat format,
               const std::map<std::string, std::string>& metadata) {
  if (wav.sample_rate <= 0) throw UserError(path + ": cannot write a WAV with sample rate " +
                                            std::to_string(wav.sample_rate));
  std::vector<std::pair<int, std::string>> strings;
  for (const auto& [key, value] : metadata) {
    int id = -1;
    for (const auto& slot : kStringSlots)
      if (key == slot.key) id = slot.id;
    if (id < 0)
      throw UserError(path + ": unknown metadata key '" + key +
                      "' (known: title, copyright, software, artist, comment, date, album, license, "
                      "tracknumber, genre)");
    strings.emplace_back(id, value);
  }
  for (size_t i = 0; i < wav.samples.size(); ++i)
    if (!std::isfinite(wav.samples[i]))
      throw UserError(path + ": refusing to write a non-finite sample at index " + std::to_string(i));
  // FLAC by name, as LibriSpeech-style corpora need it; the format stores integers only.
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  const bool flac = ext == ".flac";
  if (flac && format != SampleFormat::Pcm16)
    throw UserError(path + ": FLAC stores integer samples; write it as 16-bit PCM, not float");

  // A temporary name in the destination folder, so the final rename is atomic on the same filesystem
  // and a reader never sees a half-written file.
  static std::atomic<unsigned> counter{0};
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::random_device rd;
  fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                        std::to_string(counter++) + "-" + std::to_string(rd() & 0xffff));

  SF_INFO info{};
  info.samplerate = wav.sample_rate;
  info.channels = 1;
  if (flac)
    info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  else
    info.format = SF_FORMAT_WAV | (format == SampleFormat::Pcm16 ? SF_FORMAT_PCM_16 : SF_FORMAT_FLOAT);
  SNDFILE* f = sf_open(tmp.c_str(), SFM_WRITE, &info);
  if (!f) throw UserError(path + ": cannot create (" + one_line(sf_strerror(nullptr)) + ")");
  auto abandon = [&](const std::string& why) {
    sf_close(f);
    std::error_code ec;
    fs::remove(tmp, ec);
    throw UserError(path + ": " + why);
  };
  // Out-of-range floats clip to full scale instead of wrapping around in 16-bit output.
  sf_command(f, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  for (const auto& [id, value] : strings) {
    if (sf_set_string(f, id, value.c_str()) != 0)
      abandon("cannot store metadata (" + one_line(sf_strerror(f)) + ")");
  }
  const sf_count_t n = sf_count_t(wav.samples.size());
  if (n > 0 && sf_writef_float(f, wav.samples.data(), n) != n)
    abandon("write failed (" + one_line(sf_strerror(f)) + ")");
  if (sf_close(f) != 0) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw UserError(path + ": closing the file failed");
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ec2;
    fs::remove(tmp, ec2);
    throw UserError(path + ": cannot move the finished file into place (" + ec.message() + ")");
  }
}

}  // namespace voxclone
