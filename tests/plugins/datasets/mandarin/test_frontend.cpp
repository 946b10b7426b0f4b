// The Mandarin text frontend against MockingBird's recorded outputs (text_frontend.json, symbols.json).
#include <catch2/catch.hpp>
#include <cstdio>
#include <set>

#include "mandarin_test_util.h"
#include "mandarin_text.h"
#include "number_reading.h"
#include "pinyin.h"

using namespace voxclone::mandarin;
using namespace mandarin_test;

namespace {

// Sentences where this frontend deliberately reads a word differently from pypinyin 0.43 (whose reading
// is wrong there): 行长 háng zhǎng (bank president), 全长 quán cháng (total length), 为人民 wèi rénmín.
const std::set<std::string> kKnownDifferences = {"银行的行长在重庆长大。", "长城全长21196.18千米。",
                                                 "为了你，我愿意为人民服务。"};

std::vector<int64_t> ids_of(const nlohmann::json& j) { return j.get<std::vector<int64_t>>(); }

MandarinText make(TextPath path, bool numbers = false) {
  MandarinTextOptions o;
  o.path = path;
  o.read_numbers = numbers;
  return MandarinText(o);
}

}  // namespace

TEST_CASE("symbols are MockingBird's 75, pad 0 and EOS 1") {
  auto j = load_json("mockingbird/synthesizer/symbols.json");
  CHECK(MandarinText::symbols() == j["symbols"].get<std::vector<std::string>>());
}

TEST_CASE("syllable agreement with pypinyin over text_frontend.json is at least 97%") {
  auto sentences = load_json("mockingbird/synthesizer/text_frontend.json")["sentences"];
  MandarinText text = make(TextPath::Inference);
  int total = 0, agree = 0;
  for (const auto& s : sentences) {
    auto ref = s["inference"]["pinyin_tokens"].get<std::vector<std::string>>();
    auto ours = text.pinyin_tokens(s["text"].get<std::string>());
    INFO(s["text"].get<std::string>());
    // Same token structure: one token per character with a reading, other runs whole.
    REQUIRE(ours.size() == ref.size());
    for (size_t i = 0; i < ref.size(); ++i) {
      if (!is_tone3_syllable(ref[i])) {
        CHECK(ours[i] == ref[i]);  // non-Chinese runs pass through unchanged
        continue;
      }
      ++total;
      if (ours[i] == ref[i])
        ++agree;
      else
        std::printf("  differs: %s  ours %s, pypinyin %s\n", s["text"].get<std::string>().c_str(),
                    ours[i].c_str(), ref[i].c_str());
    }
  }
  double rate = double(agree) / total;
  std::printf("mandarin syllable agreement: %d / %d = %.4f\n", agree, total, rate);
  CHECK(total > 250);
  CHECK(rate >= 0.97);
}

TEST_CASE("inference path: normalised text and ids exactly as MockingBird's synthesize_spectrograms") {
  auto sentences = load_json("mockingbird/synthesizer/text_frontend.json")["sentences"];
  MandarinText text = make(TextPath::Inference);
  int exact = 0, claimed = 0;
  for (const auto& s : sentences) {
    std::string t = s["text"];
    INFO(t);
    if (kKnownDifferences.count(t)) {
      CHECK(text.to_ids(t) != ids_of(s["inference"]["ids"]));  // documented: we read these differently
      continue;
    }
    ++claimed;
    CHECK(text.pinyin_text(t) == s["inference"]["joined"].get<std::string>());
    CHECK(text.normalize(t) == s["inference"]["cleaned"].get<std::string>());
    auto ids = text.to_ids(t);
    CHECK(ids == ids_of(s["inference"]["ids"]));
    exact += ids == ids_of(s["inference"]["ids"]);
    // The toolbox/web UI cut the prompt at punctuation and send every piece through the same path.
    const auto& tw = s["toolbox_web"];
    for (size_t k = 0; k < tw["segments"].size(); ++k)
      CHECK(text.to_ids(tw["segments"][k].get<std::string>()) == ids_of(tw["segment_ids"][k]));
  }
  std::printf("mandarin inference ids exact: %d of %d claimed (%zu sentences)\n", exact, claimed,
              sentences.size());
  CHECK(claimed == int(sentences.size()) - int(kKnownDifferences.size()));
}

TEST_CASE("preprocess path: pre.py's training text and SynthesizerDataset's ids") {
  auto sentences = load_json("mockingbird/synthesizer/text_frontend.json")["sentences"];
  MandarinText text = make(TextPath::Preprocess);
  for (const auto& s : sentences) {
    std::string t = s["text"];
    if (kKnownDifferences.count(t)) continue;
    INFO(t);
    CHECK(text.pinyin_text(t) == s["preprocess"]["pinyin_text"].get<std::string>());
    CHECK(text.to_ids(t) == ids_of(s["preprocess"]["ids"]));
  }
}

TEST_CASE("words from the phrase table beat single readings, longest first") {
  MandarinText text = make(TextPath::Inference);
  CHECK(text.normalize("朝阳区") == "chao2 yang2 qu1");
  CHECK(text.normalize("朝阳") == "zhao1 yang2");
  CHECK(text.normalize("东西") == "dong1 xi5");
  CHECK(text.normalize("东西南北") == "dong1 xi1 nan2 bei3");
  CHECK(text.normalize("女") == "nv3");  // ü is written v
  CHECK(text.normalize("") == "");
  CHECK(text.to_ids("") == std::vector<int64_t>{1});
}

TEST_CASE("Chinese numerals follow the standard reading rules") {
  CHECK(chinese_cardinal("0") == "零");
  CHECK(chinese_cardinal("10") == "十");
  CHECK(chinese_cardinal("12") == "十二");
  CHECK(chinese_cardinal("20") == "二十");
  CHECK(chinese_cardinal("105") == "一百零五");
  CHECK(chinese_cardinal("110") == "一百一十");
  CHECK(chinese_cardinal("1001") == "一千零一");
  CHECK(chinese_cardinal("2000") == "两千");
  CHECK(chinese_cardinal("10012") == "一万零一十二");
  CHECK(chinese_cardinal("20000") == "两万");
  CHECK(chinese_cardinal("21196") == "两万一千一百九十六");
  CHECK(chinese_cardinal("100000000") == "一亿");
  CHECK(chinese_cardinal("100010000") == "一亿零一万");
  CHECK(read_numbers_in_chinese("2021年10月12日") == "二零二一年十月十二日");
  CHECK(read_numbers_in_chinese("30%") == "百分之三十");
  CHECK(read_numbers_in_chinese("99.9元") == "九十九点九元");
  CHECK(read_numbers_in_chinese("13800138000") == "一三八零零一三八零零零");
  CHECK(read_numbers_in_chinese("SF007") == "SF零零七");
}

TEST_CASE("read_numbers reads digits out before the pinyin conversion") {
  MandarinText text = make(TextPath::Inference, true);
  CHECK(text.normalize("2021年") == "er4 ling2 er4 yi1 nian2");
  CHECK(text.normalize("打8.5折") == "da3 ba1 dian3 wu3 zhe2");
  MandarinText keep = make(TextPath::Inference, false);
  CHECK(keep.normalize("2021年") == "2021 nian2");
}
