// FactStore conformance suite: every backend must pass it unchanged.
//
// Usage (see conformance_support.hpp for the Factory contract):
//   #include "store/fact_store_conformance.hpp"
//   struct MyFactory { std::unique_ptr<contextweaver::FactStore> create(); /* optional: reopen() */ };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Mine, FactStoreConformance, ::testing::Types<MyFactory>);
//
// Covers store.md §3 (FactStore) and §4.7. Names follow tests/test_store_facts.py.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "contextweaver/store/fact_store.hpp"
#include "store/conformance_support.hpp"

namespace cwconf {

inline contextweaver::Fact make_fact(const std::string& id, const std::string& key, const std::string& value) {
  contextweaver::Fact fact;
  fact.fact_id = id;
  fact.key = key;
  fact.value = value;
  return fact;
}

inline std::vector<std::string> fact_ids(const std::vector<contextweaver::Fact>& facts) {
  std::vector<std::string> out;
  for (const auto& f : facts) out.push_back(f.fact_id);
  return out;
}

}  // namespace cwconf

template <class Factory>
class FactStoreConformance : public ::testing::Test {
 protected:
  Factory factory_;
  std::unique_ptr<contextweaver::FactStore> store_ = factory_.create();
};

TYPED_TEST_SUITE_P(FactStoreConformance);

TYPED_TEST_P(FactStoreConformance, StartsEmpty) {
  EXPECT_TRUE(this->store_->all().empty());
  EXPECT_TRUE(this->store_->list_keys().empty());
  EXPECT_TRUE(this->store_->get_by_key("k").empty());
}

// test_put_and_get
TYPED_TEST_P(FactStoreConformance, PutAndGet) {
  this->store_->put(cwconf::make_fact("f1", "answer", "42"));
  EXPECT_EQ(this->store_->get("f1").value, "42");
  EXPECT_EQ(this->store_->get("f1").key, "answer");
}

// test_get_missing_raises
TYPED_TEST_P(FactStoreConformance, GetMissingRaises) {
  CWCONF_EXPECT_THROW_MSG(this->store_->get("nope"), contextweaver::ItemNotFoundError, "Fact not found: 'nope'");
}

// test_put_overwrites: upsert by fact_id.
TYPED_TEST_P(FactStoreConformance, PutOverwrites) {
  this->store_->put(cwconf::make_fact("f1", "k", "v1"));
  this->store_->put(cwconf::make_fact("f1", "k2", "v2"));
  EXPECT_EQ(this->store_->get("f1").value, "v2");
  EXPECT_EQ(this->store_->all().size(), 1u);
  EXPECT_EQ(this->store_->list_keys(), (cwconf::Ids{"k2"}));
}

// test_get_by_key: exact, case-sensitive, ordered by fact_id.
TYPED_TEST_P(FactStoreConformance, GetByKey) {
  this->store_->put(cwconf::make_fact("f2", "color", "blue"));
  this->store_->put(cwconf::make_fact("f1", "color", "red"));
  this->store_->put(cwconf::make_fact("f3", "size", "big"));
  this->store_->put(cwconf::make_fact("f4", "Color", "green"));
  EXPECT_EQ(cwconf::fact_ids(this->store_->get_by_key("color")), (cwconf::Ids{"f1", "f2"}));
  EXPECT_EQ(cwconf::fact_ids(this->store_->get_by_key("Color")), (cwconf::Ids{"f4"}));
  EXPECT_TRUE(this->store_->get_by_key("colo").empty());
}

// test_delete
TYPED_TEST_P(FactStoreConformance, Delete) {
  this->store_->put(cwconf::make_fact("f1", "k", "v"));
  this->store_->put(cwconf::make_fact("f2", "k", "w"));
  this->store_->delete_("f1");
  EXPECT_THROW(this->store_->get("f1"), contextweaver::ItemNotFoundError);
  EXPECT_EQ(cwconf::fact_ids(this->store_->all()), (cwconf::Ids{"f2"}));
}

// test_delete_missing_raises
TYPED_TEST_P(FactStoreConformance, DeleteMissingRaises) {
  CWCONF_EXPECT_THROW_MSG(this->store_->delete_("nope"), contextweaver::ItemNotFoundError, "Fact not found: 'nope'");
}

// test_all_sorted: by fact_id in code point order.
TYPED_TEST_P(FactStoreConformance, AllSorted) {
  for (const char* id : {"z1", "a1", "\xC3\xA9", "B", "a10", "a2"}) this->store_->put(cwconf::make_fact(id, "k", "v"));
  EXPECT_EQ(cwconf::fact_ids(this->store_->all()), (cwconf::Ids{"B", "a1", "a10", "a2", "z1", "\xC3\xA9"}));
}

// test_list_keys_all: distinct, sorted.
TYPED_TEST_P(FactStoreConformance, ListKeysAll) {
  this->store_->put(cwconf::make_fact("f1", "size", "1"));
  this->store_->put(cwconf::make_fact("f2", "color", "2"));
  this->store_->put(cwconf::make_fact("f3", "color", "3"));
  EXPECT_EQ(this->store_->list_keys(), (cwconf::Ids{"color", "size"}));
  EXPECT_EQ(this->store_->list_keys(""), (cwconf::Ids{"color", "size"}));
}

// test_list_keys_with_prefix
TYPED_TEST_P(FactStoreConformance, ListKeysWithPrefix) {
  this->store_->put(cwconf::make_fact("f1", "user_name", "a"));
  this->store_->put(cwconf::make_fact("f2", "user_age", "b"));
  this->store_->put(cwconf::make_fact("f3", "session_id", "c"));
  EXPECT_EQ(this->store_->list_keys("user_"), (cwconf::Ids{"user_age", "user_name"}));
  EXPECT_TRUE(this->store_->list_keys("zzz").empty());
  EXPECT_EQ(this->store_->list_keys("user_name"), (cwconf::Ids{"user_name"}));
}

// test_list_keys_empty
TYPED_TEST_P(FactStoreConformance, ListKeysEmpty) {
  EXPECT_TRUE(this->store_->list_keys().empty());
}

// A prefix is literal and case-sensitive (no SQL LIKE wildcards or case folding).
TYPED_TEST_P(FactStoreConformance, ListKeysPrefixIsLiteralAndCaseSensitive) {
  for (const auto& [id, key] : std::vector<std::pair<std::string, std::string>>{{"f1", "User_x"},
                                                                                {"f2", "user_x"},
                                                                                {"f3", "userAx"},
                                                                                {"f4", "a%b"},
                                                                                {"f5", "aXb"},
                                                                                {"f6", "a\\b"},
                                                                                {"f7", "a*b"},
                                                                                {"f8", "\xC3\xA9t\xC3\xA9"}}) {
    this->store_->put(cwconf::make_fact(id, key, "v"));
  }
  EXPECT_EQ(this->store_->list_keys("user_"), (cwconf::Ids{"user_x"}));
  EXPECT_EQ(this->store_->list_keys("User"), (cwconf::Ids{"User_x"}));
  EXPECT_EQ(this->store_->list_keys("a%"), (cwconf::Ids{"a%b"}));
  EXPECT_EQ(this->store_->list_keys("a\\"), (cwconf::Ids{"a\\b"}));
  EXPECT_EQ(this->store_->list_keys("a*"), (cwconf::Ids{"a*b"}));
  EXPECT_EQ(this->store_->list_keys("\xC3\xA9"), (cwconf::Ids{"\xC3\xA9t\xC3\xA9"}));
  EXPECT_EQ(this->store_->list_keys("a"), (cwconf::Ids{"a%b", "a*b", "aXb", "a\\b"}));
}

// test_fact_roundtrip: every field survives the store.
TYPED_TEST_P(FactStoreConformance, FactFieldsSurvive) {
  contextweaver::Fact fact = cwconf::make_fact("f1", "k", "v \xC3\xA9");
  fact.tags = {"a", "b"};
  fact.metadata = {{"source", "test"}, {"n", 1}, {"nested", {{"z", nullptr}, {"a", 2.5}}}};
  this->store_->put(fact);
  const auto got = this->store_->get("f1");
  EXPECT_EQ(got.value, fact.value);
  EXPECT_EQ(got.tags, fact.tags);
  EXPECT_EQ(contextweaver::dumps_sorted(got.metadata), contextweaver::dumps_sorted(fact.metadata));
}

TYPED_TEST_P(FactStoreConformance, ConcurrentPuts) {
  constexpr int kPerThread = 100;
  std::atomic<bool> failed{false};
  auto writer = [&](const std::string& prefix) {
    for (int i = 0; i < kPerThread; ++i) {
      try {
        this->store_->put(cwconf::make_fact(prefix + std::to_string(i), prefix, "v"));
        (void)this->store_->list_keys(prefix);
      } catch (...) {
        failed = true;
      }
    }
  };
  std::thread a(writer, "a");
  std::thread b(writer, "b");
  a.join();
  b.join();
  EXPECT_FALSE(failed.load());
  EXPECT_EQ(this->store_->all().size(), 2u * kPerThread);
  EXPECT_EQ(this->store_->get_by_key("b").size(), static_cast<std::size_t>(kPerThread));
}

TYPED_TEST_P(FactStoreConformance, ReopenPreservesFacts) {
  CWCONF_REQUIRE_REOPEN() {
    contextweaver::Fact fact = cwconf::make_fact("f2", "color", "red");
    fact.tags = {"t"};
    this->store_->put(fact);
    this->store_->put(cwconf::make_fact("f1", "size", "big"));
    this->store_.reset();
    this->store_ = this->factory_.reopen();
    EXPECT_EQ(cwconf::fact_ids(this->store_->all()), (cwconf::Ids{"f1", "f2"}));
    EXPECT_EQ(this->store_->get("f2").tags, (cwconf::Ids{"t"}));
    EXPECT_EQ(this->store_->list_keys(), (cwconf::Ids{"color", "size"}));
  }
}

REGISTER_TYPED_TEST_SUITE_P(FactStoreConformance, StartsEmpty, PutAndGet, GetMissingRaises, PutOverwrites, GetByKey,
                            Delete, DeleteMissingRaises, AllSorted, ListKeysAll, ListKeysWithPrefix, ListKeysEmpty,
                            ListKeysPrefixIsLiteralAndCaseSensitive, FactFieldsSurvive, ConcurrentPuts,
                            ReopenPreservesFacts);
