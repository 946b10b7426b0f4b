// Number expansion for English text: RTVC's normalize_numbers rules over an inflect-compatible speller.
#include <regex>
#include <string>

#include "english_text.h"

namespace voxclone::english {

namespace {

const char* const kUnits[] = {"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
const char* const kTeens[] = {"ten", "eleven", "twelve", "thirteen", "fourteen",
                              "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
const char* const kTens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
const char* const kScales[] = {"", " thousand", " million", " billion", " trillion", " quadrillion",
                               " quintillion", " sextillion", " septillion", " octillion", " nonillion",
                               " decillion"};
constexpr size_t kScaleCount = sizeof(kScales) / sizeof(kScales[0]);

// 0..99 the way inflect writes it: "twenty-one", "ten", "" for 0.
std::string two_digits(int tens, int units) {
  if (tens == 1) return kTeens[units];
  std::string s = kTens[tens];
  if (tens && units) s += "-";
  return s + kUnits[units];
}

// 0..999 with inflect's "hundred <andword> ..." form.
std::string three_digits(int h, int t, int u, const std::string& andword) {
  std::string rest = two_digits(t, u);
  if (!h) return rest;
  std::string s = std::string(kUnits[h]) + " hundred";
  if (!rest.empty()) s += (andword.empty() ? " " : " " + andword + " ") + rest;
  return s;
}

std::string strip_zeros(const std::string& digits) {
  size_t i = digits.find_first_not_of('0');
  return i == std::string::npos ? "" : digits.substr(i);
}

// Replaces every match of `re` in `text` by fn(match), scanning left to right like Python's re.sub.
template <class Fn>
std::string sub(const std::string& text, const std::regex& re, Fn fn) {
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), re);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    out.append(text, last, size_t(m.position(0)) - last);
    out += fn(m);
    last = size_t(m.position(0) + m.length(0));
  }
  out.append(text, last, std::string::npos);
  return out;
}

// Ordinal form of the last word, as inflect's ordinal suffix table does.
std::string ordinal_of_words(const std::string& words) {
  static const std::pair<const char*, const char*> kEndings[] = {
      {"ty", "tieth"}, {"one", "first"},  {"two", "second"}, {"three", "third"},
      {"five", "fifth"}, {"eight", "eighth"}, {"nine", "ninth"}, {"twelve", "twelfth"}};
  // inflect searches the alternatives left to right for the earliest position that ends the string.
  size_t best = std::string::npos;
  const std::pair<const char*, const char*>* hit = nullptr;
  for (const auto& e : kEndings) {
    std::string end = e.first;
    if (words.size() >= end.size() && words.compare(words.size() - end.size(), end.size(), end) == 0) {
      size_t pos = words.size() - end.size();
      if (pos < best) best = pos, hit = &e;
    }
  }
  if (!hit) return words + "th";
  return words.substr(0, best) + hit->second;
}

}  // namespace

std::string number_to_words(const std::string& digits_in, const std::string& andword) {
  std::string digits = strip_zeros(digits_in);
  if (digits.empty()) return "zero";
  size_t groups = (digits.size() + 2) / 3;
  if (groups > kScaleCount) {
    // Beyond inflect's scale names (it raises there): say the digits one by one.
    std::string s;
    for (char c : digits) s += (s.empty() ? "" : " ") + std::string(c == '0' ? "zero" : kUnits[c - '0']);
    return s;
  }
  digits.insert(0, groups * 3 - digits.size(), '0');
  // Groups from the most significant; inflect joins the non-empty ones with ", ".
  std::vector<std::string> parts;
  std::string units_group;  // the words of the last group when it is non-zero
  for (size_t g = 0; g < groups; ++g) {
    int h = digits[3 * g] - '0', t = digits[3 * g + 1] - '0', u = digits[3 * g + 2] - '0';
    std::string w = three_digits(h, t, u, andword);
    if (w.empty()) continue;
    size_t scale = groups - 1 - g;
    if (scale == 0) units_group = w;
    parts.push_back(w + kScales[scale]);
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) {
      // inflect's COMMA_WORD rule: a last group that is one single word is joined with the andword.
      bool last_single = i + 1 == parts.size() && !units_group.empty() &&
                         units_group.find(' ') == std::string::npos;
      out += last_single ? (andword.empty() ? " " : " " + andword + " ") : ", ";
    }
    out += parts[i];
  }
  return out;
}

std::string ordinal_to_words(const std::string& digits) {
  std::string words = number_to_words(digits, "and");
  // inflect applies the suffix to the last comma-separated chunk only, i.e. to the last word.
  return ordinal_of_words(words);
}

namespace {

// inflect number_to_words(n, andword='', zero='oh', group=2): digit pairs, "oh" for a leading zero.
std::string year_pairs(int num) {
  int hi = num / 100, lo = num % 100;
  std::string s = two_digits(hi / 10, hi % 10);
  if (lo / 10) s += " " + two_digits(lo / 10, lo % 10);
  else if (lo) s += std::string(" oh ") + kUnits[lo];
  else s += " oh oh";
  return s;
}

std::string expand_number(const std::string& digits) {
  std::string d = strip_zeros(digits);
  if (d.size() <= 4 && !d.empty()) {
    int num = std::stoi(d);
    if (num > 1000 && num < 3000) {
      if (num == 2000) return "two thousand";
      if (num > 2000 && num < 2010) return "two thousand " + number_to_words(std::to_string(num % 100), "");
      if (num % 100 == 0) return number_to_words(std::to_string(num / 100), "") + " hundred";
      return year_pairs(num);
    }
  }
  return number_to_words(digits, "");
}

std::string unit_word(const std::string& digits, const char* one, const char* many) {
  return strip_zeros(digits) == "1" ? one : many;
}

// RTVC's _expand_dollars on the amount after '$' (digits, dots and commas).
std::string expand_dollars(const std::string& amount) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = amount.find('.', start);
    parts.push_back(amount.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() > 2) return amount + " dollars";
  // Python's int() rejects commas; RTVC removed them already, but a stray one would raise there.
  auto value = [](const std::string& s) { return s.empty() ? std::string() : strip_zeros(s); };
  std::string dollars = value(parts[0]);
  std::string cents = parts.size() > 1 ? value(parts[1]) : std::string();
  if (!dollars.empty() && !cents.empty())
    return dollars + " " + unit_word(dollars, "dollar", "dollars") + ", " + cents + " " +
           unit_word(cents, "cent", "cents");
  if (!dollars.empty()) return dollars + " " + unit_word(dollars, "dollar", "dollars");
  if (!cents.empty()) return cents + " " + unit_word(cents, "cent", "cents");
  return "zero dollars";
}

}  // namespace

std::string normalize_numbers(const std::string& text) {
  static const std::regex comma_number("([0-9][0-9,]+[0-9])");
  static const std::regex decimal_number("([0-9]+\\.[0-9]+)");
  static const std::regex pounds("\xC2\xA3([0-9,]*[0-9]+)");  // '£' (never present after transliteration)
  static const std::regex dollars("\\$([0-9.,]*[0-9]+)");
  static const std::regex ordinal("[0-9]+(st|nd|rd|th)");
  static const std::regex number("[0-9]+");
  std::string s = sub(text, comma_number, [](const std::smatch& m) {
    std::string g = m.str(1), out;
    for (char c : g)
      if (c != ',') out += c;
    return out;
  });
  s = sub(s, pounds, [](const std::smatch& m) { return m.str(1) + " pounds"; });
  s = sub(s, dollars, [](const std::smatch& m) { return expand_dollars(m.str(1)); });
  s = sub(s, decimal_number, [](const std::smatch& m) {
    std::string g = m.str(1);
    size_t dot = g.find('.');
    return g.substr(0, dot) + " point " + g.substr(dot + 1);
  });
  s = sub(s, ordinal, [](const std::smatch& m) {
    std::string g = m.str(0);
    return ordinal_to_words(g.substr(0, g.size() - 2));
  });
  s = sub(s, number, [](const std::smatch& m) { return expand_number(m.str(0)); });
  return s;
}

}  // namespace voxclone::english
