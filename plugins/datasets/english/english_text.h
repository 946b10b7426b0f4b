// The English text frontend's pieces (RTVC synthesizer/utils behaviour): transliteration, number
// expansion, cleaners, symbols and text_to_sequence. Pure string code, no tensors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace voxclone::english {

/// UTF-8 → ASCII the way Unidecode does for the characters in our table (Latin-1, Latin Extended-A,
/// general punctuation, Greek, a few symbols and CJK); anything else becomes "" as Unidecode does for
/// characters it does not know.
std::string to_ascii(const std::string& utf8);

/// inflect's number_to_words(n, andword=andword) for a decimal digit string ("007" → "seven").
std::string number_to_words(const std::string& digits, const std::string& andword);
/// inflect's number_to_words("<digits>st") style ordinal ("21" → "twenty-first"), andword "and".
std::string ordinal_to_words(const std::string& digits);

/// RTVC numbers.normalize_numbers (commas, pounds, dollars, decimals, ordinals, years, cardinals).
std::string normalize_numbers(const std::string& ascii_text);

/// RTVC english_cleaners: to_ascii, lowercase, numbers, abbreviations, whitespace collapse.
std::string english_cleaners(const std::string& text);

/// The symbol table: pad '_' (0), eos '~' (1), A-Z, a-z, punctuation "!'\"(),-.:;? " and space.
const std::vector<std::string>& symbols();

/// RTVC text_to_sequence(text, ["english_cleaners"]): {ARPAbet} parts in braces are looked up as '@'
/// symbols (absent from this table, so dropped), the rest is cleaned; '~' (1) appended.
std::vector<int64_t> text_to_sequence(const std::string& text);

/// RTVC sequence_to_text.
std::string sequence_to_text(const std::vector<int64_t>& ids);

}  // namespace voxclone::english
