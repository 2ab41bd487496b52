#include "tokens/oracle_corpus.hpp"

#include "contextweaver/core/json.hpp"
#include "contextweaver/core/unicode.hpp"
#include "support/test_support.hpp"

#include <random>
#include <sstream>

namespace cwtest {
namespace {

using contextweaver::encode_utf8;

std::string utf8(std::initializer_list<char32_t> cps) {
  std::string s;
  for (char32_t cp : cps) encode_utf8(s, cp);
  return s;
}

void add_scenarios(std::vector<std::string>& out) {
  const auto shared = shared_dir();
  if (!shared) return;
  const auto dir = *shared / "data" / "reference" / "benchmarks" / "scenarios";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".jsonl") continue;
    std::istringstream lines(read_file(entry.path()));
    std::string line;
    while (std::getline(lines, line)) {
      if (line.empty()) continue;
      const auto j = contextweaver::Json::parse(line);
      if (j.contains("text") && j["text"].is_string()) out.push_back(j["text"].get<std::string>());
    }
  }
}

// Characters of every class the patterns distinguish.
std::vector<std::string> char_pool() {
  std::vector<std::string> pool;
  for (const char* s : {"a", "b", "z", "A",  "Q",  "Z", "0",  "5", "9",  " ", " ",  " ",  "\t", "\n", "\r", "'",
                        "'", "s", "t", "re", "ve", "m", "ll", "d", "S",  "T", "RE", "LL", "D",  ".",  ",",  "!",
                        "?", "/", "-", "_",  "(",  ")", "{",  "}", "\"", "#", "@",  "<|", "|>", "\\"})
    pool.emplace_back(s);
  for (char32_t cp : {
           0x00E9,  0x00C9,  0x00DF,  0x017F,  0x01C5,  0x02B0,   0x02C6,  0x0301,  0x0308,  0x0345,  0x03A9,
           0x03C9,  0x0416,  0x0436,  0x05D0,  0x0627,  0x0660,   0x0669,  0x0915,  0x093F,  0x094D,  0x0966,
           0x0E01,  0x0E31,  0x1100,  0x1161,  0x1E9E,  0x1F88,   0x2160,  0x00B2,  0x00BD,  0x3042,  0x30A2,
           0x30FC,  0x4E2D,  0x6587,  0xAC00,  0xFF21,  0xFF41,   0xFF10,  0x1D400, 0x1D7CE, 0x0085,  0x00A0,
           0x1680,  0x180E,  0x2000,  0x2007,  0x200A,  0x200B,   0x200D,  0x2028,  0x2029,  0x202F,  0x205F,
           0x3000,  0xFEFF,  0x001C,  0x001F,  0x000B,  0x000C,   0x1F600, 0x1F44D, 0x1F3FD, 0x1F1FA, 0x1F1F8,
           0x2764,  0xFE0F,  0x20E3,  0x31350, 0x11F04, 0x11F50,  0x1E4D0, 0x1E4F0, 0x10D4A, 0x1E5D0, 0x1E5F1,
           0x16D40, 0x323B0, 0x10940, 0xE000,  0xFFFD,  0x10FFFF, 0x0378,  0x00AD,  0x2066,  0x0000,  0x007F,
       })
    pool.push_back(utf8({cp}));
  return pool;
}

void add_fixed(std::vector<std::string>& out) {
  const std::vector<std::string> fixed = {
      "",
      "hello world",
      "Hello, World! How's it going? I'm fine; we'll see, they'd've... DON'T SHOUT'S",
      "don't 'tis 'S 'T 'RE 'VE 'M 'LL 'D 'x ' 's 'S x'",
      "end'",
      "end's",
      "'" + utf8({0x017F}) + "x don'" + utf8({0x017F}) + " DON'" + utf8({0x017F}),
      "  leading and trailing  ",
      "\n\n\nparagraphs\n\n\n\nand\r\n\r\nCRLF\r\n",
      "tabs\t\tand\t \t mixes \t",
      "a\u0085b a \u0085b a\u0085\u0085b \u0085\n x",
      "x\u180e y x \u180e y \u180e\u180e",
      "a\ufeff b a \ufeff b \ufeff",
      "a\u00a0 b a \u00a0b \u00a0\u00a0x",
      "ideographic\u3000space\u3000\u3000x",
      "thin\u2009space\u2009\u2009and\u202fnarrow",
      "line\u2028sep\u2029para",
      "zero\u200bwidth\u200djoiner",
      "digits 1 12 123 1234 12345 123456 1234567 3.14159 2024-01-01 0x1F 1e10",
      "unicode digits \u0661\u0662\u0663\u0664 \u0967\u0968\u0969\u096a\u096b \uff11\uff12\uff13\uff14",
      "numbers \u00b2\u00b3\u00bd \u2160\u2161\u2162 \u2460\u2461",
      "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00c9COLE "
      "Stra\u00dfe \u1e9e",
      "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u03ba\u03b5\u03af\u03bc\u03b5\u03bd\u03bf",
      "\u0420\u0443\u0441\u0441\u043a\u0438\u0439 \u0442\u0435\u043a\u0441\u0442, "
      "\u041f\u0420\u0418\u0412\u0415\u0422!",
      "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u0646\u0635 \u0661\u0662\u0663",
      "\u05e2\u05d1\u05e8\u05d9\u05ea \u05e9\u05dc\u05d5\u05dd",
      "\u0939\u093f\u0928\u094d\u0926\u0940 \u092a\u093e\u0920 \u0915\u094d\u0937\u0924\u094d\u0930",
      "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22 \u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35",
      "\u4e2d\u6587\u6587\u672c\uff0c\u6ca1\u6709\u7a7a\u683c\u3002\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
      "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8 \u1100\u1161\u11a8",
      "Ti\u1ebfng Vi\u1ec7t c\u00f3 d\u1ea5u",
      "\u10e5\u10d0\u10e0\u10d7\u10e3\u10da\u10d8 \u0570\u0561\u0575\u0565\u0580\u0565\u0576 \u12a0\u121b\u122d\u129b",
      "\u0ba4\u0bae\u0bbf\u0bb4\u0bcd \u0c24\u0c46\u0c32\u0c41\u0c17\u0c41",
      "e\u0301 E\u0301X a\u0308\u0308\u0308 \u0301\u0301 x\u0301Y \u0301ABC Abc\u0301'S",
      "\u01c5ungla \u01c4UNGLA \u02b0\u02b1 \u1f88\u1f89 \u2c65",
      "\U0001d400\U0001d401 \U0001d41a\U0001d7ce \uff21\uff22\uff41\uff42",
      "emoji \U0001f600\U0001f44d\U0001f3fd \U0001f468\u200d\U0001f469\u200d\U0001f467 \U0001f1fa\U0001f1f8 "
      "1\ufe0f\u20e3 "
      "\u2764\ufe0f",
      "new letters \U00031350\U00031351 \U00011f04\U00011f05 \U0001e4d0 \U00010d4a \U0001e5d0\U0001e5f1 \U000323b0 "
      "\U00016d40",
      "int main() {\n\treturn 0;\n}\n",
      "def f(x):\n    return x ** 2  # square\n\n\nclass A:\n    pass\n",
      R"({"key": "value", "n": [1, 2, 3], "nested": {"a": null}})",
      "for i in $(seq 1 10); do echo \"$i\"; done",
      "https://example.com/path/to/file.html?query=1&x=y#frag",
      "C:\\Windows\\System32 /usr/local/bin//",
      "<|endoftext|>",
      "<|fim_prefix|><|fim_middle|><|fim_suffix|>",
      "hello<|endofprompt|>world <|endoftext|> x",
      "<|endoftext|><|endoftext|>",
      "<|not_special|> <|endoftext",
      "!!!???...;;;::: --- *** ===",
      "a/b//c///d\n/",
      "x'y'z''' 'll'LL",
      "\r\r\n\n\r",
      " \n",
      "\n ",
      " ",
      "  ",
      "\t",
      "word ",
      "word  ",
      "word\n",
      "x  \n  y",
  };
  out.insert(out.end(), fixed.begin(), fixed.end());
}

void add_long(std::vector<std::string>& out, std::mt19937& rng) {
  const auto random_word = [&](const std::string& alphabet, std::size_t n) {
    std::string s;
    std::uniform_int_distribution<std::size_t> d(0, alphabet.size() - 1);
    for (std::size_t i = 0; i < n; ++i) s += alphabet[d(rng)];
    return s;
  };
  out.push_back(std::string(2000, 'a'));
  out.push_back(std::string(2001, 'x') + " " + std::string(1999, 'y'));
  std::string ab;
  for (int i = 0; i < 1000; ++i) ab += "ab";
  out.push_back(ab);
  out.push_back(random_word("abcdefghijklmnopqrstuvwxyz", 2000));
  out.push_back(random_word("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 2000));
  out.push_back(random_word("etaoinshr", 2000) + " " + random_word("etaoinshr", 2000));
  out.push_back(std::string(2000, ' ') + "x" + std::string(2000, '\n') + std::string(500, '\t'));
  out.push_back(std::string(2000, '7') + " " + random_word("0123456789", 2000));
  out.push_back(std::string(2000, '!') + random_word("!@#$%^&*()[]{}<>/\\|", 2000));
  std::string cjk, cyr, mixed;
  std::uniform_int_distribution<int> han(0x4E00, 0x9FFF), cy(0x0430, 0x044F), any(0x00A0, 0x2FFF);
  for (int i = 0; i < 2000; ++i) {
    encode_utf8(cjk, static_cast<char32_t>(han(rng)));
    encode_utf8(cyr, static_cast<char32_t>(cy(rng)));
    encode_utf8(mixed, static_cast<char32_t>(any(rng)));
  }
  out.push_back(cjk);
  out.push_back(cyr);
  out.push_back(mixed);
}

void add_random(std::vector<std::string>& out, std::mt19937& rng) {
  const auto pool = char_pool();
  std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1), len(0, 40);
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    const std::size_t n = len(rng);
    for (std::size_t k = 0; k < n; ++k) s += pool[pick(rng)];
    out.push_back(s);
  }
  // Random scalar values from the whole code space (no surrogates).
  std::uniform_int_distribution<std::uint32_t> cp(1, 0x10FFFF), small(1, 12);
  for (int i = 0; i < 500; ++i) {
    std::string s;
    for (std::uint32_t k = small(rng); k > 0; --k) {
      std::uint32_t c = cp(rng);
      if (c >= 0xD800 && c <= 0xDFFF) c = 'x';
      encode_utf8(s, c);
      if (k % 3 == 0) s += pool[pick(rng)];
    }
    out.push_back(s);
  }
}

}  // namespace

std::vector<std::string> oracle_corpus() {
  std::vector<std::string> out;
  add_scenarios(out);
  add_fixed(out);
  std::mt19937 rng(20240601);
  add_long(out, rng);
  add_random(out, rng);
  return out;
}

}  // namespace cwtest
