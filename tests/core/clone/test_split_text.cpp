// split_text: sentences, CJK stops, abbreviations inside tokens, explicit delimiters.
#include <catch2/catch.hpp>

#include "voxclone/clone.h"

using voxclone::split_text;
using V = std::vector<std::string>;

TEST_CASE("text splits into sentences keeping their punctuation", "[clone][text]") {
  CHECK(split_text("Hello there. How are you?  Fine!") == V{"Hello there.", "How are you?", "Fine!"});
  CHECK(split_text("Wait... what?! Yes.") == V{"Wait...", "what?!", "Yes."});
  CHECK(split_text("He said \"stop.\" Then left.") == V{"He said \"stop.\"", "Then left."});
  CHECK(split_text("It costs 3.5 dollars. Cheap") == V{"It costs 3.5 dollars.", "Cheap"});
  CHECK(split_text("no stop at the end") == V{"no stop at the end"});
  CHECK(split_text("   \n\t ").empty());
  CHECK(split_text("").empty());
}

TEST_CASE("Chinese full stops end sentences without a following space", "[clone][text]") {
  CHECK(split_text("你好。今天天气很好！你呢？") == V{"你好。", "今天天气很好！", "你呢？"});
}

TEST_CASE("a delimiter replaces sentence splitting", "[clone][text]") {
  CHECK(split_text("one. two | three |  | four", "|") == V{"one. two", "three", "four"});
  CHECK(split_text("a<br>b", "<br>") == V{"a", "b"});
}
