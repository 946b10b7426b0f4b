// Implementation of the optional Chinese number reading.
#include "number_reading.h"

#include <vector>

namespace voxclone::mandarin {
namespace {

const char* kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

std::string digit_by_digit(const std::string& digits) {
  std::string out;
  for (char c : digits) out += kDigits[c - '0'];
  return out;
}

// One group of up to four digits (千百十个), without leading 零. `leading`: first group of the number.
std::string read_group(const std::string& g, bool leading) {
  static const char* units[] = {"千", "百", "十", ""};
  std::string padded = std::string(4 - g.size(), '0') + g;
  std::string out;
  bool pending_zero = false;
  for (int k = 0; k < 4; ++k) {
    int d = padded[k] - '0';
    if (d == 0) {
      if (!out.empty()) pending_zero = true;
      continue;
    }
    if (pending_zero) out += "零";
    pending_zero = false;
    if (k == 2 && d == 1 && out.empty() && leading) {
      out += "十";  // 十二, not 一十二, at the start of a number
    } else if (k == 0 && d == 2 && out.empty() && leading) {
      out += std::string("两") + units[k];
    } else {
      out += std::string(kDigits[d]) + units[k];
    }
  }
  return out;
}

}  // namespace

std::string chinese_cardinal(const std::string& digits) {
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return "零";
  std::string n = digits.substr(first);
  static const char* group_units[] = {"", "万", "亿"};
  std::vector<std::string> groups;  // most significant first
  size_t head = n.size() % 4 == 0 ? 4 : n.size() % 4;
  groups.push_back(n.substr(0, head));
  for (size_t i = head; i < n.size(); i += 4) groups.push_back(n.substr(i, 4));
  std::string out;
  bool zero_gap = false;
  for (size_t i = 0; i < groups.size(); ++i) {
    const std::string& g = groups[i];
    bool leading = out.empty();
    if (g.find_first_not_of('0') == std::string::npos) {
      zero_gap = !out.empty();
      continue;
    }
    // A group that does not fill its thousands place after a higher group reads with 零 (一万零五).
    if (!leading && (zero_gap || g[0] == '0')) out += "零";
    zero_gap = false;
    std::string group_text = g == "2" && leading && groups.size() - 1 - i > 0 ? "两" : read_group(g, leading);
    out += group_text + group_units[groups.size() - 1 - i];
  }
  return out;
}

std::string read_numbers_in_chinese(const std::string& text) {
  std::string out;
  size_t i = 0;
  auto is_digit = [&](size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
  while (i < text.size()) {
    if (!is_digit(i)) {
      out += text[i++];
      continue;
    }
    size_t j = i;
    while (is_digit(j)) ++j;
    std::string integer = text.substr(i, j - i);
    std::string fraction;
    if (j + 1 < text.size() && text[j] == '.' && is_digit(j + 1)) {
      size_t k = j + 1;
      while (is_digit(k)) ++k;
      fraction = text.substr(j + 1, k - j - 1);
      j = k;
    }
    bool percent = false;
    if (j < text.size() && text[j] == '%') {
      percent = true;
      ++j;
    } else if (text.compare(j, 3, "％") == 0) {
      percent = true;
      j += 3;
    }
    bool year = fraction.empty() && !percent && (integer.size() == 4 || integer.size() == 2) &&
                text.compare(j, 3, "年") == 0;
    std::string reading;
    if (year || integer.size() > 9 || (integer.size() > 1 && integer[0] == '0'))
      reading = digit_by_digit(integer);
    else
      reading = chinese_cardinal(integer);
    if (!fraction.empty()) reading += "点" + digit_by_digit(fraction);
    out += percent ? "百分之" + reading : reading;
    i = j;
  }
  return out;
}

}  // namespace voxclone::mandarin
