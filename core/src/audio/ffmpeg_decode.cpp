// FFmpeg decoder behind read_audio/audio_info for AAC-in-MP4 (.m4a), which libsndfile cannot read.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

#include "ffmpeg_decode.h"
#include "voxclone/error.h"

namespace voxclone::detail {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw UserError(path + ": " + what); }

std::string av_message(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

struct Input {
  AVFormatContext* fmt = nullptr;
  int stream = -1;
  ~Input() {
    if (fmt) avformat_close_input(&fmt);
  }
};

void open_input(const std::string& path, Input& in) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, "no such file");
  if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory, not an audio file");
  if (int e = avformat_open_input(&in.fmt, path.c_str(), nullptr, nullptr); e < 0)
    fail(path, "not readable audio (" + av_message(e) + ")");
  if (int e = avformat_find_stream_info(in.fmt, nullptr); e < 0)
    fail(path, "cannot read stream info (" + av_message(e) + ")");
  in.stream = av_find_best_stream(in.fmt, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (in.stream < 0) fail(path, "no audio stream");
  const AVCodecParameters* par = in.fmt->streams[in.stream]->codecpar;
  if (par->sample_rate <= 0) fail(path, "header declares sample rate " + std::to_string(par->sample_rate));
  if (par->ch_layout.nb_channels <= 0) fail(path, "header declares no channels");
}

}  // namespace

bool use_ffmpeg(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext == ".m4a" || ext == ".mp4" || ext == ".aac";
}

AudioInfo ffmpeg_audio_info(const std::string& path) {
  Input in;
  open_input(path, in);
  const AVStream* st = in.fmt->streams[in.stream];
  AudioInfo info;
  info.format = in.fmt->iformat && in.fmt->iformat->name ? in.fmt->iformat->name : "FFMPEG";
  if (info.format.rfind("mov", 0) == 0) info.format = "MP4";
  const AVCodecDescriptor* d = avcodec_descriptor_get(st->codecpar->codec_id);
  info.subtype = d ? d->name : "UNKNOWN";
  std::transform(info.subtype.begin(), info.subtype.end(), info.subtype.begin(),
                 [](unsigned char c) { return char(std::toupper(c)); });
  info.sample_rate = st->codecpar->sample_rate;
  info.channels = st->codecpar->ch_layout.nb_channels;
  double seconds = 0;
  if (st->duration != AV_NOPTS_VALUE && st->duration > 0) seconds = st->duration * av_q2d(st->time_base);
  else if (in.fmt->duration != AV_NOPTS_VALUE && in.fmt->duration > 0) seconds = double(in.fmt->duration) / AV_TIME_BASE;
  info.frames = int64_t(std::llround(seconds * info.sample_rate));
  info.seconds = double(info.frames) / info.sample_rate;
  const AVDictionaryEntry* e = nullptr;
  while ((e = av_dict_get(in.fmt->metadata, "", e, AV_DICT_IGNORE_SUFFIX))) {
    std::string k = e->key;
    if (k == "title" || k == "artist" || k == "comment" || k == "date" || k == "album" || k == "copyright")
      info.metadata[k] = e->value;
    else if (k == "encoder")
      info.metadata["software"] = e->value;
  }
  return info;
}

Waveform ffmpeg_read_audio(const std::string& path) {
  Input in;
  open_input(path, in);
  const AVCodecParameters* par = in.fmt->streams[in.stream]->codecpar;
  const AVCodec* codec = avcodec_find_decoder(par->codec_id);
  if (!codec) fail(path, "no decoder for its codec");
  std::unique_ptr<AVCodecContext, void (*)(AVCodecContext*)> ctx(avcodec_alloc_context3(codec),
                                                                   [](AVCodecContext* c) { avcodec_free_context(&c); });
  if (!ctx || avcodec_parameters_to_context(ctx.get(), par) < 0) fail(path, "cannot set up the decoder");
  if (int e = avcodec_open2(ctx.get(), codec, nullptr); e < 0) fail(path, "cannot open the decoder (" + av_message(e) + ")");

  const int channels = ctx->ch_layout.nb_channels;
  SwrContext* swr_raw = nullptr;
  AVChannelLayout out_layout;
  av_channel_layout_copy(&out_layout, &ctx->ch_layout);
  if (swr_alloc_set_opts2(&swr_raw, &out_layout, AV_SAMPLE_FMT_FLT, ctx->sample_rate, &ctx->ch_layout,
                          ctx->sample_fmt, ctx->sample_rate, 0, nullptr) < 0 ||
      swr_init(swr_raw) < 0) {
    av_channel_layout_uninit(&out_layout);
    swr_free(&swr_raw);
    fail(path, "cannot set up sample conversion");
  }
  av_channel_layout_uninit(&out_layout);
  std::unique_ptr<SwrContext, void (*)(SwrContext*)> swr(swr_raw, [](SwrContext* s) { swr_free(&s); });
  std::unique_ptr<AVPacket, void (*)(AVPacket*)> pkt(av_packet_alloc(), [](AVPacket* p) { av_packet_free(&p); });
  std::unique_ptr<AVFrame, void (*)(AVFrame*)> frame(av_frame_alloc(), [](AVFrame* f) { av_frame_free(&f); });

  Waveform out;
  out.sample_rate = ctx->sample_rate;
  std::vector<float> buf;
  auto drain = [&]() {
    for (;;) {
      int r = avcodec_receive_frame(ctx.get(), frame.get());
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
      if (r < 0) fail(path, "decoding failed (" + av_message(r) + ")");
      buf.resize(size_t(frame->nb_samples) * size_t(channels));
      uint8_t* dst = reinterpret_cast<uint8_t*>(buf.data());
      int got = swr_convert(swr.get(), &dst, frame->nb_samples, const_cast<const uint8_t**>(frame->extended_data),
                            frame->nb_samples);
      if (got < 0) fail(path, "sample conversion failed");
      for (int i = 0; i < got; ++i) {
        float sum = 0.0f;
        for (int c = 0; c < channels; ++c) sum += buf[size_t(i) * size_t(channels) + size_t(c)];
        out.samples.push_back(sum / float(channels));
      }
      av_frame_unref(frame.get());
    }
  };
  while (av_read_frame(in.fmt, pkt.get()) >= 0) {
    if (pkt->stream_index == in.stream) {
      int r = avcodec_send_packet(ctx.get(), pkt.get());
      if (r < 0 && r != AVERROR(EAGAIN)) {
        av_packet_unref(pkt.get());
        fail(path, "decoding failed (" + av_message(r) + ")");
      }
      drain();
    }
    av_packet_unref(pkt.get());
  }
  avcodec_send_packet(ctx.get(), nullptr);
  drain();
  // The decoder drops the encoder delay but not the padding of the last AAC frame: cut the stream to the
  // length its container declares, as the ffmpeg tool (and so librosa/audioread) does.
  const AVStream* st = in.fmt->streams[in.stream];
  if (st->duration != AV_NOPTS_VALUE && st->duration > 0) {
    auto declared = size_t(std::llround(st->duration * av_q2d(st->time_base) * out.sample_rate));
    if (declared > 0 && out.samples.size() > declared) out.samples.resize(declared);
  }
  if (out.samples.empty()) fail(path, "contains no audio samples (zero length)");
  for (size_t i = 0; i < out.samples.size(); ++i)
    if (!std::isfinite(out.samples[i])) fail(path, "non-finite sample (NaN or Inf) at frame " + std::to_string(i));
  return out;
}

}  // namespace voxclone::detail
