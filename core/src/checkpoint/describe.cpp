// describe_checkpoint: the text of `voxclone info CKPT`: format, recognised layout, step and the value tree.
#include <ATen/ATen.h>

#include <sstream>

#include "checkpoint/value_node.h"
#include "checkpoint/zip_archive.h"
#include "voxclone/error.h"

namespace voxclone::ckpt {

namespace {

using Kind = Value::Kind;

bool has(const Value* sd, const std::string& key) {
  return sd && sd->find(key) && sd->find(key)->is_tensor();
}

const Value* dict_at(const Value& root, const char* key) {
  const Value* v = root.find(key);
  return v && v->is_dict() ? v : nullptr;
}

// Recognises the layouts of the supported toolkits from their state-dict keys.
std::string recognise(const Value& root) {
  if (!root.is_dict()) return "unknown (the top level is not a dict)";
  const Value* ms = dict_at(root, "model_state");
  if (has(ms, "similarity_weight") && has(ms, "lstm.weight_ih_l0") && has(ms, "linear.weight")) {
    const at::Tensor& w = ms->at("lstm.weight_ih_l0").as_tensor();
    std::ostringstream os;
    os << "RTVC GE2E speaker encoder (model_state: LSTM " << (w.dim() == 2 ? w.size(0) / 4 : 0) << " hidden, "
       << (w.dim() == 2 ? w.size(1) : 0) << " mel channels";
    int layers = 0;
    while (has(ms, "lstm.weight_ih_l" + std::to_string(layers))) ++layers;
    os << ", " << layers << " layers)";
    return os.str();
  }
  if (has(ms, "encoder.embedding.weight") && has(ms, "decoder.r") && has(ms, "stop_threshold")) {
    const at::Tensor& e = ms->at("encoder.embedding.weight").as_tensor();
    std::ostringstream os;
    os << "RTVC / MockingBird Tacotron synthesizer (model_state: " << (e.dim() == 2 ? e.size(0) : 0)
       << " symbols, embedding " << (e.dim() == 2 ? e.size(1) : 0) << ", r = "
       << (ms->at("decoder.r").as_tensor().numel() == 1 ? ms->at("decoder.r").as_tensor().item<int64_t>() : 0)
       << ")";
    return os.str();
  }
  if (has(ms, "I.weight") && has(ms, "rnn1.weight_ih_l0") && has(ms, "fc3.weight") &&
      has(ms, "upsample.resnet.conv_in.weight")) {
    const at::Tensor& fc3 = ms->at("fc3.weight").as_tensor();
    std::ostringstream os;
    os << "RTVC WaveRNN vocoder (model_state: " << (fc3.dim() == 2 ? fc3.size(0) : 0) << " output classes)";
    return os.str();
  }
  const Value* g = dict_at(root, "generator");
  if (g && (has(g, "conv_pre.weight_v") || has(g, "conv_pre.weight")) && has(g, "conv_post.bias")) {
    int ups = 0;
    while (has(g, "ups." + std::to_string(ups) + ".weight_v") ||
           has(g, "ups." + std::to_string(ups) + ".weight"))
      ++ups;
    std::ostringstream os;
    os << "MockingBird HiFi-GAN generator (generator: " << ups << " upsampling stages, weight norm "
       << (has(g, "conv_pre.weight_v") ? "on" : "removed") << ")";
    return os.str();
  }
  if (root.find("mpd") || root.find("msd"))
    return "MockingBird HiFi-GAN discriminator/optimizer state (do_*)";
  return "unknown layout";
}

std::string scalar_text(const Value& v) {
  std::ostringstream os;
  switch (v.kind()) {
    case Kind::None:
      return "None";
    case Kind::Bool:
      return v.as_bool() ? "True" : "False";
    case Kind::Int:
      return std::to_string(v.as_int());
    case Kind::Float:
      os << v.as_float();
      return os.str();
    case Kind::Str:
      return "'" + v.as_str() + "'";
    case Kind::Tensor: {
      const at::Tensor& t = v.as_tensor();
      os << "tensor " << tensor_summary(t);
      if (t.numel() == 1) {
        if (t.is_floating_point())
          os << " = " << t.item<double>();
        else if (t.scalar_type() == at::kBool)
          os << " = " << (t.item<bool>() ? "True" : "False");
        else
          os << " = " << t.item<int64_t>();
      }
      return os.str();
    }
    default:
      return "";
  }
}

bool is_leaf(const Value& v) {
  return v.kind() != Kind::Dict && v.kind() != Kind::List && v.kind() != Kind::Tuple;
}

void print(const Value& v, const std::string& indent, int depth, std::ostringstream& os) {
  if (depth > 512) throw UserError("checkpoint tree too deep to print");
  auto child = [&](const std::string& label, const Value& c) {
    if (is_leaf(c)) {
      os << indent << label << ": " << scalar_text(c) << "\n";
    } else {
      std::size_t n = c.kind() == Kind::Dict ? c.items().size() : c.elements().size();
      const char* what =
          c.kind() == Kind::Dict ? (c.ordered() ? "OrderedDict" : "dict") : Value::kind_name(c.kind());
      // Short all-scalar lists and tuples (betas, params) print on one line.
      bool flat = c.kind() != Kind::Dict && n <= 32;
      if (flat)
        for (const auto& e : c.elements()) flat = flat && is_leaf(e) && !e.is_tensor();
      if (flat) {
        os << indent << label << ": " << (c.kind() == Kind::List ? "[" : "(");
        for (std::size_t i = 0; i < n; ++i) os << (i ? ", " : "") << scalar_text(c.elements()[i]);
        os << (c.kind() == Kind::List ? "]" : ")") << "\n";
        return;
      }
      os << indent << label << ": " << what << " (" << n << " entries)\n";
      print(c, indent + "  ", depth + 1, os);
    }
  };
  if (v.kind() == Kind::Dict) {
    for (const auto& [k, c] : v.items())
      child(k.kind() == Kind::Str ? k.as_str() : std::to_string(k.as_int()), c);
  } else if (v.kind() == Kind::List || v.kind() == Kind::Tuple) {
    const auto& e = v.elements();
    for (std::size_t i = 0; i < e.size(); ++i) child("[" + std::to_string(i) + "]", e[i]);
  } else {
    os << indent << scalar_text(v) << "\n";
  }
}

std::string find_step(const Value& root) {
  if (!root.is_dict()) return "";
  if (const Value* s = root.find("step"); s && s->kind() == Kind::Int) return std::to_string(s->as_int());
  for (const char* k : {"steps", "iteration"})
    if (const Value* s = root.find(k); s && s->kind() == Kind::Int) return std::to_string(s->as_int());
  if (const Value* ms = dict_at(root, "model_state")) {
    if (const Value* s = ms->find("step"); s && s->is_tensor() && s->as_tensor().numel() == 1)
      return std::to_string(s->as_tensor().item<int64_t>()) + " (model_state.step buffer)";
  }
  return "";
}

}  // namespace

std::string describe_checkpoint(const std::string& path) {
  std::string format;
  {
    FileSource src(path);
    unsigned char h[2] = {0, 0};
    if (src.size() >= 2) src.read_at(0, h, 2);
    format =
        (h[0] == 'P' && h[1] == 'K') ? "PyTorch zip archive (torch >= 1.6)" : "PyTorch legacy serialization";
  }
  Value root = load(path);
  auto tensors = flatten_state_dict(root);
  int64_t numel = 0;
  for (const auto& [n, t] : tensors) numel += t.numel();
  std::ostringstream os;
  os << path << "\n";
  os << "format: " << format << "\n";
  os << "layout: " << recognise(root) << "\n";
  std::string step = find_step(root);
  if (!step.empty()) os << "step: " << step << "\n";
  os << "tensors: " << tensors.size() << " (" << numel << " elements)\n";
  os << "tree:\n";
  print(root, "  ", 0, os);
  return os.str();
}

}  // namespace voxclone::ckpt
