// Selection keeps the renderings back to back (RenderedItems); joining them
// must give join_prompt's string, after any pops, for every header/footer.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "contextweaver/context/prompt.hpp"
#include "contextweaver/context/selection.hpp"

namespace contextweaver {
namespace {

TEST(RenderedItems, JoinEqualsJoinPromptOverStrings) {
  std::mt19937 rng(3);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::string> strings;
    RenderedItems items;
    const int n = static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) {
      std::string r = "[USER]\n" + std::string(rng() % 40, static_cast<char>('a' + i));
      if (rng() % 5 == 0) r.clear();
      strings.push_back(r);
      items.push_back(r);
    }
    const int pops = n ? static_cast<int>(rng() % (n + 1)) : 0;
    for (int p = 0; p < pops; ++p) {
      strings.pop_back();
      items.pop_back();
    }
    ASSERT_EQ(items.size(), strings.size());
    for (std::size_t i = 0; i < strings.size(); ++i) ASSERT_EQ(items[i], strings[i]);
    const std::string header = rng() % 2 ? "[HEADER]" : "";
    const std::string footer = rng() % 2 ? "[FOOTER]" : "";
    ASSERT_EQ(join_prompt(items, "\n\n", header, footer), join_prompt(strings, "\n\n", header, footer));
  }
}

}  // namespace
}  // namespace contextweaver
