// Optional number reading for the Mandarin frontend: "2021年" → "二零二一年", "30%" → "百分之三十".
// MockingBird keeps digits as they are (pypinyin passes them through); this is off unless configured.
#pragma once

#include <string>

namespace voxclone::mandarin {

/// Replaces every ASCII number (digits with an optional ".digits" part, optionally followed by '%')
/// with Chinese numerals: cardinals up to 9999,9999,9999 (十二, 一万两千, 一百零五), digit by digit
/// for years (2 or 4 digits before 年), numbers with a leading zero and numbers of more than 9 digits
/// (phone and order numbers), decimals as 点 + digits, percentages as 百分之 ….
std::string read_numbers_in_chinese(const std::string& text);

/// The cardinal reading of a string of ASCII digits (no sign, at most 12 digits).
std::string chinese_cardinal(const std::string& digits);

}  // namespace voxclone::mandarin
