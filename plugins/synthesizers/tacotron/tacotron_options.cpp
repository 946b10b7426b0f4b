// Reading Tacotron hyper-parameters and mel settings from the plugin's configuration.
#include "tacotron_options.h"

#include <variant>

#include "voxclone/error.h"

namespace voxclone::tacotron {

TacotronOptions options_from_config(const Config& c, int64_t symbols) {
  TacotronOptions o;
  o.embed_dims = c.get_int("tts_embed_dims");
  o.encoder_dims = c.get_int("tts_encoder_dims");
  o.decoder_dims = c.get_int("tts_decoder_dims");
  o.postnet_dims = c.get_int("tts_postnet_dims");
  o.encoder_K = c.get_int("tts_encoder_K");
  o.lstm_dims = c.get_int("tts_lstm_dims");
  o.postnet_K = c.get_int("tts_postnet_K");
  o.num_highways = c.get_int("tts_num_highways");
  o.dropout = c.get_double("tts_dropout");
  o.stop_threshold = c.get_double("tts_stop_threshold");
  o.speaker_embedding_size = c.get_int("speaker_embedding_size");
  o.n_mels = o.fft_bins = c.get_int("num_mels");
  o.num_chars = c.get_int("num_chars") > 0 ? c.get_int("num_chars") : symbols;
  o.r = c.get_int("r");
  if (o.embed_dims < 1 || o.encoder_dims < 2 || o.decoder_dims < 1 || o.postnet_dims < 2 || o.encoder_K < 1 ||
      o.lstm_dims < 1 || o.postnet_K < 1 || o.num_highways < 0 || o.speaker_embedding_size < 0 || o.num_chars < 2)
    throw UserError("tacotron: model sizes must be positive (" + o.to_string() + ")");
  if (o.encoder_dims % 2 || o.postnet_dims % 2)
    throw UserError("tacotron: tts_encoder_dims and tts_postnet_dims must be even (bidirectional GRU halves)");
  if (o.dropout < 0 || o.dropout >= 1) throw UserError("tacotron: tts_dropout must be in [0, 1)");
  if (o.r < 1 || o.r > 20) throw UserError("tacotron: r must be in [1, 20]");
  return o;
}

MelSettings mel_settings_from(const Config& c) { return mel_settings_from_config(c, "tacotron"); }

Overrides apply_model_overrides(Config& stage) {
  const std::string what = stage.name() + ".model_overrides";
  Config model = Runtime::instance().resolve_config(Kind::Synthesizer, "tacotron");
  Overrides out;
  for (const auto& v : std::get<ConfigValue::Array>(stage.get("model_overrides").v)) {
    const auto* s = std::get_if<std::string>(&v.v);
    auto eq = s ? s->find('=') : std::string::npos;
    if (eq == std::string::npos || eq == 0) throw UserError(what + ": expected \"key=value\" strings");
    std::string key = s->substr(0, eq), value = s->substr(eq + 1);
    if (key != "model_overrides" && stage.has(key)) {
      stage.set_from_string(key, value);
    } else if (model.has(key)) {
      model.set_from_string(key, value);  // parsed and type-checked against the model's key
      out.emplace_back(key, model.get(key));
    } else {
      throw UserError(what + ": '" + key + "' is a key of neither [" + stage.name() + "] nor [tacotron]");
    }
  }
  return out;
}

}  // namespace voxclone::tacotron
