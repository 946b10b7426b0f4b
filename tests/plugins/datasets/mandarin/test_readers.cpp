// The Mandarin corpus readers on the fixture trees (layouts of the real corpora) and on broken copies.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "mandarin_test_util.h"
#include "mandarin_text.h"
#include "readers.h"
#include "voxclone/error.h"

namespace fs = std::filesystem;
using namespace voxclone;
using namespace voxclone::mandarin;
using namespace mandarin_test;

namespace {

void check_against_durations(const DatasetListing& l) {
  auto expected = load_json("datasets/expected_reader_outputs.json")["durations_s"];
  for (const auto& u : l.utterances) {
    INFO(u.audio);
    std::string rel = rel_to_root(u.audio);
    REQUIRE(expected.contains(rel));
    CHECK(u.seconds == Approx(expected[rel].get<double>()).margin(1e-3));
  }
}

// pre.py's training text for every row of train.txt: reader text through the preprocess path.
void check_against_train_txt(const DatasetListing& l, const std::string& corpus) {
  MandarinTextOptions o;
  o.path = TextPath::Preprocess;
  MandarinText text(o);
  auto rows = train_txt_texts(corpus);
  REQUIRE(!rows.empty());
  for (const auto& [name, pinyin] : rows) {
    INFO(corpus << " " << name);
    std::string id = name.substr(0, name.find('.'));
    const Utterance* u = find_utt(l, id);
    REQUIRE(u != nullptr);
    CHECK(text.pinyin_text(u->text) == pinyin);
  }
}

// What MockingBird's toolbox browser offers for `folder` (speaker → files) must be what we list.
void check_toolbox(const DatasetListing& l, const std::string& folder) {
  auto present =
      load_json("datasets/expected_reader_outputs.json")["toolbox_browser"]["mockingbird"]["present"];
  REQUIRE(present.contains(folder));
  std::set<std::string> expected, ours;
  for (auto& [speaker, files] : present[folder].items())
    for (auto& f : files) expected.insert(folder + "/" + speaker + "/" + f.get<std::string>());
  for (const auto& u : l.utterances) {
    std::string rel = rel_to_root(u.audio);
    if (rel.compare(0, folder.size() + 1, folder + "/") == 0) ours.insert(rel);
  }
  CHECK(ours == expected);
}

std::string write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

bool has_problem(const DatasetListing& l, const std::string& file_end, int line, const std::string& needle) {
  for (const auto& p : l.problems) {
    bool file_ok = p.file.size() >= file_end.size() &&
                   p.file.compare(p.file.size() - file_end.size(), file_end.size(), file_end) == 0;
    if (file_ok && p.line == line && p.message.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string problems_text(const DatasetListing& l) {
  std::string s;
  for (const auto& p : l.problems) s += p.file + ":" + std::to_string(p.line) + ": " + p.message + "\n";
  return s;
}

}  // namespace

TEST_CASE("aishell3: every utterance of both subsets, pinyin text, 44.1 kHz") {
  DatasetListing l = list_aishell3(datasets_root(), {});
  INFO(problems_text(l));
  CHECK(l.problems.empty());
  REQUIRE(l.utterances.size() == 7);
  const Utterance* u = find_utt(l, "SSB00050001");
  REQUIRE(u != nullptr);
  CHECK(u->speaker == "SSB0005");
  CHECK(u->subset == "train");
  CHECK(u->language == "zh");
  CHECK(u->sample_rate == 44100);
  CHECK(u->text == "guang3 zhou1 nv3 da4 xue2 sheng1 deng1 shan1");
  const Utterance* t = find_utt(l, "SSB00160001");
  REQUIRE(t != nullptr);
  CHECK(t->subset == "test");
  check_against_durations(l);
  check_against_train_txt(l, "aishell3");
  check_toolbox(l, "aishell3/test/wav");
}

TEST_CASE("aishell3: subsets, characters instead of pinyin, corpus folder as root") {
  std::string corpus = datasets_root() + "/aishell3";
  DatasetListing test = list_aishell3(corpus, {"test"});
  REQUIRE(test.utterances.size() == 1);
  CHECK(test.utterances[0].id == "SSB00160001");
  DatasetListing train = list_aishell3(corpus, {"train"}, Aishell3Options{false});
  REQUIRE(train.utterances.size() == 6);
  CHECK(find_utt(train, "SSB00050001")->text == "广州女大学生登山");
  CHECK_THROWS_AS(list_aishell3(corpus, {"dev"}), UserError);
  CHECK_THROWS_AS(list_aishell3(datasets_root() + "/magicdata", {}), UserError);
  CHECK_THROWS_AS(list_aishell3(datasets_root() + "/no_such_folder", {}), UserError);
}

TEST_CASE("aidatatang_200zh: extracted speakers of all subsets, transcript with word spaces, 16 kHz") {
  DatasetListing l = list_aidatatang(datasets_root(), {});
  INFO(problems_text(l));
  CHECK(l.problems.empty());
  REQUIRE(l.utterances.size() == 7);
  const Utterance* u = find_utt(l, "T0055G0013S0001");
  REQUIRE(u != nullptr);
  CHECK(u->speaker == "G0013");
  CHECK(u->subset == "train");
  CHECK(u->sample_rate == 16000);
  CHECK(u->text == "以后 你 是 男孩子");
  CHECK(find_utt(l, "T0055G0002S0001")->subset == "dev");
  CHECK(find_utt(l, "T0055G0004S0002")->subset == "test");
  check_against_durations(l);
  check_against_train_txt(l, "aidatatang_200zh");
  check_toolbox(l, "aidatatang_200zh/corpus/dev");
  check_toolbox(l, "aidatatang_200zh/corpus/test");

  // MockingBird's encoder preprocessing of corpus/train: every source it used is listed by us; the ones
  // it dropped are the utterances shorter than 1.6 s.
  auto enc = load_json("datasets/expected_reader_outputs.json")["encoder_preprocess_mockingbird"]
                                                               ["preprocess_aidatatang_200zh"];
  std::set<std::string> used;
  for (auto& [spk, v] : enc.items())
    for (auto& s : v["sources"]) used.insert(s[1].get<std::string>());
  REQUIRE(used.size() == 3);
  DatasetListing train = list_aidatatang(datasets_root() + "/aidatatang_200zh", {"train"});
  REQUIRE(train.utterances.size() == 5);
  for (const auto& t : train.utterances) {
    INFO(t.audio);
    CHECK(used.count(rel_to_root(t.audio)) == (t.seconds >= 1.6 ? 1u : 0u));
  }
}

TEST_CASE("magicdata: TRANS.txt with header, id with .wav, speaker folders, 16 kHz") {
  DatasetListing l = list_magicdata(datasets_root(), {});
  INFO(problems_text(l));
  CHECK(l.problems.empty());
  REQUIRE(l.utterances.size() == 5);
  const Utterance* u = find_utt(l, "38_5718_20170915093025");
  REQUIRE(u != nullptr);
  CHECK(u->speaker == "38_5718");
  CHECK(u->subset == "train");
  CHECK(u->sample_rate == 16000);
  CHECK(u->text == "我想听周杰伦的歌");
  CHECK(find_utt(l, "5_1812_20170628135834")->subset == "dev");
  check_against_durations(l);
  check_toolbox(l, "magicdata/train");
  CHECK(list_magicdata(datasets_root(), {"dev"}).utterances.size() == 1);

  // MockingBird a824b54 put the SpeakerID in front of the text; the option reproduces its train.txt.
  MagicdataOptions legacy;
  legacy.speaker_in_text = true;
  DatasetListing old = list_magicdata(datasets_root() + "/magicdata", {"train"}, legacy);
  CHECK(find_utt(old, "38_5718_20170915093025")->text == "38_5718 我想听周杰伦的歌");
  check_against_train_txt(old, "magicdata");
}

TEST_CASE("annotation markers are removed from MAGICDATA transcriptions") {
  CHECK(drop_annotation_markers("[FIL]我想听[SPK]歌") == "我想听 歌");
  CHECK(drop_annotation_markers("好的 [FIL] 谢谢") == "好的 谢谢");
  CHECK(drop_annotation_markers("a[b]c [] [X") == "a[b]c [] [X");
}

TEST_CASE("aishell3: broken lines and files are problems with file and line, the rest loads") {
  fs::path root = vctest::scratch_dir("mandarin_aishell3_broken");
  std::string wav = datasets_root() + "/aishell3/train/wav/SSB0005/SSB00050001.wav";
  for (const char* id : {"SSB00010001", "SSB00010002", "SSB00010003", "SSB00010004", "SSB00010005"}) {
    fs::create_directories(root / "aishell3/train/wav/SSB0001");
    fs::copy_file(wav, root / "aishell3/train/wav/SSB0001" / (std::string(id) + ".wav"));
  }
  write_file(root / "aishell3/train/wav/SSB0001/SSB00010006.wav", "not a wav file");
  write_file(root / "aishell3/train/content.txt",
             "SSB00010001.wav\t你 ni3 好 hao3\n"  // 1 good
             "SSB00010002.wav 你 ni3\n"           // 2 no TAB
             "SSB00010003.wav\t你 ni3 好\n"       // 3 odd token count
             "SSB00010004.wav\t你 ni 好 hao3\n"   // 4 no tone digit
             "\n"                                 // 5 blank: ignored
             "SSB00019999.wav\t你 ni3\n"          // 6 no audio
             "SSB00010006.wav\t你 ni3\n");        // 7 audio with a broken header
  DatasetListing l = list_aishell3((root / "aishell3").string(), {});
  INFO(problems_text(l));
  CHECK(l.utterances.size() == 6);
  CHECK(find_utt(l, "SSB00010001")->text == "ni3 hao3");
  CHECK(find_utt(l, "SSB00010002")->text.empty());
  CHECK(has_problem(l, "content.txt", 2, "no TAB"));
  CHECK(has_problem(l, "content.txt", 3, "3 tokens"));
  CHECK(has_problem(l, "content.txt", 4, "'ni'"));
  CHECK(has_problem(l, "content.txt", 6, "SSB00019999"));
  CHECK(has_problem(l, "SSB00010005.wav", 0, "no line in"));
  CHECK(has_problem(l, "SSB00010006.wav", 0, "RIFF"));
  CHECK(l.problems.size() == 9);  // lines 2, 3, 4, 6; files 02, 03, 04, 05 without text; 06 header
}

TEST_CASE("aidatatang_200zh: unextracted tarballs, missing transcript lines, missing subset") {
  fs::path root = vctest::scratch_dir("mandarin_aidatatang_broken");
  fs::path c = root / "aidatatang_200zh";
  std::string src = datasets_root() + "/aidatatang_200zh/corpus/train/G0013/";
  fs::create_directories(c / "corpus/train/G0013");
  fs::copy_file(src + "T0055G0013S0001.wav", c / "corpus/train/G0013/T0055G0013S0001.wav");
  fs::copy_file(src + "T0055G0013S0002.wav", c / "corpus/train/G0013/T0055G0013S0002.wav");
  write_file(c / "corpus/train/G0099.tar.gz", "x");
  write_file(c / "transcript/aidatatang_200_zh_transcript.txt",
             "T0055G0013S0001 以后 你 是 男孩子\r\n"
             "T0055G0013S0003\r\n"
             "T0055G0099S0001 还 没有 解压\r\n");
  DatasetListing l = list_aidatatang(root.string(), {});
  INFO(problems_text(l));
  REQUIRE(l.utterances.size() == 2);
  CHECK(find_utt(l, "T0055G0013S0001")->text == "以后 你 是 男孩子");
  CHECK(has_problem(l, "G0099.tar.gz", 0, "not extracted"));
  CHECK(has_problem(l, "aidatatang_200_zh_transcript.txt", 2, "no text"));
  CHECK(has_problem(l, "aidatatang_200_zh_transcript.txt", 3, "T0055G0099S0001"));
  CHECK(has_problem(l, "T0055G0013S0002.wav", 0, "no line in"));
  CHECK(l.problems.size() == 4);
  DatasetListing dev = list_aidatatang(root.string(), {"dev"});
  CHECK(dev.utterances.empty());
  CHECK(has_problem(dev, "corpus/dev", 0, "missing"));
}

TEST_CASE("magicdata: header, field counts and speaker folders are checked line by line") {
  fs::path root = vctest::scratch_dir("mandarin_magicdata_broken");
  fs::path c = root / "magicdata";
  std::string wav = datasets_root() + "/magicdata/train/38_5718/38_5718_20170915093025.wav";
  fs::create_directories(c / "train/1_1");
  fs::copy_file(wav, c / "train/1_1/1_1_1.wav");
  fs::copy_file(wav, c / "train/1_1/1_1_2.wav");
  fs::copy_file(wav, c / "train/1_1/1_1_3.wav");
  write_file(c / "train/TRANS.txt",
             "1_1_1.wav\t1_1\t[FIL]你好\n"   // 1 no header (still read as data)
             "1_1_2.wav\t1_1\n"              // 2 two fields
             "1_1_3.wav\t2_2\t世界\n"        // 3 speaker differs from the folder
             "1_1_9.wav\t1_1\t没有音频\n");  // 4 no audio
  DatasetListing l = list_magicdata(root.string(), {"train"});
  INFO(problems_text(l));
  REQUIRE(l.utterances.size() == 3);
  CHECK(find_utt(l, "1_1_1")->text == "你好");
  CHECK(find_utt(l, "1_1_3")->text == "世界");
  CHECK(has_problem(l, "TRANS.txt", 1, "header"));
  CHECK(has_problem(l, "TRANS.txt", 2, "found 2"));
  CHECK(has_problem(l, "TRANS.txt", 3, "2_2"));
  CHECK(has_problem(l, "TRANS.txt", 4, "1_1_9.wav"));
  CHECK(has_problem(l, "1_1_2.wav", 0, "no line in"));
  CHECK(l.problems.size() == 5);
}
