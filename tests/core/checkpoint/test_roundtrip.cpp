// Round trips: C++ writer -> Python torch.load, Python torch.save (zip, protocol 4, legacy, cuda locations)
// -> C++ reader, and C++ -> C++, for every dtype, views, nesting and scalar kinds.
#include <torch/torch.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>

#include "checkpoint/zip_archive.h"
#include "checkpoint_test_util.h"
#include "fixtures.h"
#include "voxclone/checkpoint.h"
#include "voxclone/error.h"

namespace ck = voxclone::ckpt;
using Kind = ck::Value::Kind;

namespace {

// The twin of torch_reference.py's ar(): the same formulas, computed here.
at::Tensor ar(at::ScalarType dt) {
  at::Tensor a = torch::arange(24, torch::kLong).reshape({2, 3, 4});
  switch (dt) {
    case at::kFloat:
    case at::kHalf:
    case at::kBFloat16:
      return ((a - 7).to(at::kFloat) * 0.375).to(dt);
    case at::kDouble:
      return (a - 7).to(at::kDouble) / 3.0;
    case at::kLong:
      return a * int64_t{1000000000000} - 5;
    case at::kInt:
      return (a * 100000 - 7).to(at::kInt);
    case at::kShort:
      return (a * 1000 - 12000).to(at::kShort);
    case at::kChar:
      return (a - 10).to(at::kChar);
    case at::kByte:
      return (a * 10).to(at::kByte);
    case at::kBool:
      return (a % 3) == 0;
    default:
      throw std::runtime_error("dtype");
  }
}

const std::vector<std::pair<const char*, at::ScalarType>> kDtypes = {
    {"float32", at::kFloat}, {"float16", at::kHalf}, {"bfloat16", at::kBFloat16}, {"float64", at::kDouble},
    {"int64", at::kLong},    {"int32", at::kInt},    {"int16", at::kShort},       {"int8", at::kChar},
    {"uint8", at::kByte},    {"bool", at::kBool}};

// The twin of torch_reference.py's reference().
ck::Value reference() {
  auto sd = ck::Value::dict(/*ordered=*/true);
  for (auto& [name, dt] : kDtypes) sd.set(std::string("t_") + name, ar(dt));
  at::Tensor base = torch::arange(30, torch::kFloat) * 0.5;
  at::Tensor m = base.slice(0, 0, 24).view({4, 6});
  sd.set("view.base", base);
  sd.set("view.transposed", m.t());
  sd.set("view.slice", base.slice(0, 5, 17, 3));
  sd.set("scalar0d", torch::tensor(2.5f));
  sd.set("empty", torch::zeros({0, 3}));

  auto state = ck::Value::dict();
  auto s0 = ck::Value::dict();
  s0.set("step", 3);
  s0.set("exp_avg", torch::ones({2}));
  auto s1 = ck::Value::dict();
  s1.set("step", 3);
  s1.set("exp_avg", torch::zeros({2}));
  state.set(0, s0);
  state.set(1, s1);
  auto group = ck::Value::dict();
  group.set("lr", 1e-4);
  group.set("betas", ck::Value::tuple({0.9, 0.999}));
  group.set("eps", 1e-08);
  group.set("amsgrad", false);
  group.set("foreach", ck::Value());
  group.set("params", ck::Value::list({0, 1}));
  auto opt = ck::Value::dict();
  opt.set("state", state);
  opt.set("param_groups", ck::Value::list({group}));

  auto root = ck::Value::dict();
  root.set("step", int64_t{12345678901234});
  root.set("model_state", sd);
  root.set("optimizer_state", opt);
  root.set("text", std::string("h\xc3\xa9llo \xe4\xbd\xa0\xe5\xa5\xbd"));
  root.set("neg", -5);
  root.set("big", -(int64_t{1} << 40));
  root.set("inf", HUGE_VAL);
  root.set("nested",
           ck::Value::list({ck::Value::list({1, ck::Value::list({2.5, ck::Value::tuple({3, "x"})})}),
                            ck::Value::dict()}));
  return root;
}

// Structural equality: kinds, dict flavour, key order, scalars and tensors (dtype, shape, values).
void same(const ck::Value& a, const ck::Value& b, const std::string& path) {
  INFO(path);
  REQUIRE(a.kind() == b.kind());
  switch (a.kind()) {
    case Kind::None:
      return;
    case Kind::Bool:
      CHECK(a.as_bool() == b.as_bool());
      return;
    case Kind::Int:
      CHECK(a.as_int() == b.as_int());
      return;
    case Kind::Float:
      CHECK(a.as_float() == b.as_float());
      return;
    case Kind::Str:
      CHECK(a.as_str() == b.as_str());
      return;
    case Kind::Tensor:
      CHECK(a.as_tensor().scalar_type() == b.as_tensor().scalar_type());
      CHECK(a.as_tensor().sizes() == b.as_tensor().sizes());
      CHECK(torch::equal(a.as_tensor(), b.as_tensor()));
      return;
    case Kind::List:
    case Kind::Tuple:
      REQUIRE(a.elements().size() == b.elements().size());
      for (std::size_t i = 0; i < a.elements().size(); ++i)
        same(a.elements()[i], b.elements()[i], path + "." + std::to_string(i));
      return;
    case Kind::Dict:
      CHECK(a.ordered() == b.ordered());
      REQUIRE(a.items().size() == b.items().size());
      for (std::size_t i = 0; i < a.items().size(); ++i) {
        same(a.items()[i].first, b.items()[i].first, path + ".<key>");
        same(a.items()[i].second, b.items()[i].second, path + "." + std::to_string(i));
      }
      return;
  }
}

void check_views_shared(const ck::Value& root) {
  const auto& sd = root.at("model_state");
  const at::Tensor& base = sd.at("view.base").as_tensor();
  CHECK(sd.at("view.transposed").as_tensor().is_alias_of(base));
  CHECK(sd.at("view.slice").as_tensor().is_alias_of(base));
  CHECK(sd.at("view.slice").as_tensor().storage_offset() == 5);
  CHECK(sd.at("view.transposed").as_tensor().strides() == at::IntArrayRef({1, 6}));
}

}  // namespace

TEST_CASE("C++ writer -> Python torch.load, every dtype and value kind") {
  cktest::python_or_skip();
  std::string dir = vctest::scratch_dir("ckpt_cpp_to_py");
  std::string path = dir + "/ref.pt";
  ck::save(path, reference());
  std::string out;
  REQUIRE(cktest::run_reference("check " + path, &out) == 0);
  CHECK(out.find("OK torch") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(path + ".tmp." + std::to_string(::getpid())));
}

TEST_CASE("Python torch.save -> C++ reader, zip / protocol 4 / legacy / cuda locations") {
  cktest::python_or_skip();
  std::string dir = vctest::scratch_dir("ckpt_py_to_cpp");
  for (const char* fmt : {"zip", "zip4", "legacy", "zip_cuda"}) {
    INFO(fmt);
    std::string path = dir + "/" + fmt + ".pt";
    REQUIRE(cktest::run_reference(std::string("write ") + path + " " + fmt) == 0);
    CHECK(ck::is_torch_checkpoint(path));
    ck::Value got = ck::load(path);
    same(reference(), got, "root");
    check_views_shared(got);
  }
}

TEST_CASE("C++ -> C++ round trip keeps the tree, views and storage sharing") {
  ck::Value ref = reference();
  auto bytes = ck::save_to_memory(ref);
  ck::Value got = ck::load_from_memory(bytes.data(), bytes.size(), "roundtrip");
  same(ref, got, "root");
  check_views_shared(got);
  // One storage per distinct source storage: 10 dtypes + view base + scalar + empty + 2 exp_avg.
  ck::MemorySource src(bytes.data(), bytes.size(), "roundtrip");
  auto entries = ck::read_zip_directory(src);
  int storages = 0;
  for (const auto& e : entries) {
    if (e.name.rfind("archive/data/", 0) == 0) ++storages;
    CHECK(e.data_offset % 64 == 0);
    CHECK(e.method == 0);
    std::string data = ck::read_zip_entry(src, e, 1 << 20);
    CHECK(ck::crc32_update(0, data.data(), data.size()) == e.crc);
  }
  CHECK(storages == 15);
  CHECK(entries.front().name == "archive/data.pkl");
  CHECK(entries.back().name == "archive/version");
}

TEST_CASE("crc32 matches the standard check value") {
  const char* s = "123456789";
  CHECK(ck::crc32_update(0, s, 9) == 0xCBF43926u);
}

TEST_CASE("writer refuses what torch.load could not rebuild") {
  auto root = ck::Value::dict();
  at::Tensor f = torch::arange(4, torch::kFloat);
  root.set("a", f);
  root.set("b", f.view(torch::kInt));
  CHECK_THROWS_AS(ck::save_to_memory(root), voxclone::UserError);
  auto cyc = ck::Value::list();
  cyc.append(cyc);
  CHECK_THROWS_AS(ck::save_to_memory(cyc), voxclone::UserError);
  const_cast<std::vector<ck::Value>&>(cyc.elements()).clear();  // break the cycle so the list is freed
  auto complex_root = ck::Value::dict();
  complex_root.set("c", torch::zeros({2}, torch::kComplexFloat));
  CHECK_THROWS_AS(ck::save_to_memory(complex_root), voxclone::UserError);
}
