// ArtifactStore conformance suite: every backend must pass it unchanged.
//
// Usage (see conformance_support.hpp for the Factory contract):
//   #include "store/artifact_store_conformance.hpp"
//   struct MyFactory { std::unique_ptr<contextweaver::ArtifactStore> create(); /* optional: reopen() */ };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Mine, ArtifactStoreConformance, ::testing::Types<MyFactory>);
//
// Covers store.md §3 (ArtifactStore), §6 (drill-down selectors, exact
// outputs) and S3 (list_refs ordered by handle). Handle validation is
// backend-specific (the in-memory store accepts any handle) and is tested per
// backend. Names follow tests/test_store_artifacts.py and
// tests/test_store_json_file_artifacts.py where one exists.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "contextweaver/core/json.hpp"
#include "contextweaver/store/artifact_store.hpp"
#include "store/conformance_support.hpp"

namespace cwconf {

inline std::vector<std::string> handles_of(const std::vector<contextweaver::ArtifactRef>& refs) {
  std::vector<std::string> out;
  for (const auto& r : refs) out.push_back(r.handle);
  return out;
}

}  // namespace cwconf

template <class Factory>
class ArtifactStoreConformance : public ::testing::Test {
 protected:
  // Puts `text` under "h" and drills into it with the selector given as JSON text.
  std::string drill(const std::string& text, const std::string& selector_json) {
    store_->put("h", text, "text/plain");
    return store_->drilldown("h", contextweaver::loads(selector_json));
  }

  Factory factory_;
  std::unique_ptr<contextweaver::ArtifactStore> store_ = factory_.create();
};

TYPED_TEST_SUITE_P(ArtifactStoreConformance);

// test_put_and_get
TYPED_TEST_P(ArtifactStoreConformance, PutAndGet) {
  const auto ref = this->store_->put("h1", "hello world");
  EXPECT_EQ(ref.handle, "h1");
  EXPECT_EQ(ref.size_bytes, 11);
  EXPECT_EQ(ref.media_type, "application/octet-stream");
  EXPECT_EQ(ref.label, "");
  EXPECT_EQ(ref.content_hash, "");
  EXPECT_EQ(this->store_->get("h1"), "hello world");
}

// test_ref_returns_metadata
TYPED_TEST_P(ArtifactStoreConformance, RefReturnsMetadata) {
  this->store_->put("h1", "data", "text/plain", "greeting");
  const auto ref = this->store_->ref("h1");
  EXPECT_EQ(ref, (contextweaver::ArtifactRef{"h1", "text/plain", 4, "greeting", ""}));
}

// test_get_missing_raises
TYPED_TEST_P(ArtifactStoreConformance, GetMissingRaises) {
  CWCONF_EXPECT_THROW_MSG(this->store_->get("missing"), contextweaver::ArtifactNotFoundError,
                          "Artifact not found: 'missing'");
}

// test_ref_missing_raises
TYPED_TEST_P(ArtifactStoreConformance, RefMissingRaises) {
  CWCONF_EXPECT_THROW_MSG(this->store_->ref("missing"), contextweaver::ArtifactNotFoundError,
                          "Artifact not found: 'missing'");
}

// test_metadata_alias
TYPED_TEST_P(ArtifactStoreConformance, MetadataAlias) {
  this->store_->put("h1", "abc", "application/json", "lbl");
  const auto meta = this->store_->metadata("h1");
  EXPECT_EQ(meta.handle, "h1");
  EXPECT_EQ(meta.media_type, "application/json");
  EXPECT_EQ(meta.label, "lbl");
  EXPECT_EQ(meta, this->store_->ref("h1"));
}

// test_metadata_missing_raises
TYPED_TEST_P(ArtifactStoreConformance, MetadataMissingRaises) {
  CWCONF_EXPECT_THROW_MSG(this->store_->metadata("nope"), contextweaver::ArtifactNotFoundError,
                          "Artifact not found: 'nope'");
}

// test_delete
TYPED_TEST_P(ArtifactStoreConformance, Delete) {
  this->store_->put("h1", "data");
  this->store_->put("h2", "keep");
  this->store_->delete_("h1");
  EXPECT_THROW(this->store_->get("h1"), contextweaver::ArtifactNotFoundError);
  EXPECT_THROW(this->store_->ref("h1"), contextweaver::ArtifactNotFoundError);
  EXPECT_FALSE(this->store_->exists("h1"));
  EXPECT_EQ(cwconf::handles_of(this->store_->list_refs()), (cwconf::Ids{"h2"}));
  EXPECT_EQ(this->store_->get("h2"), "keep");
}

// test_delete_missing_raises
TYPED_TEST_P(ArtifactStoreConformance, DeleteMissingRaises) {
  CWCONF_EXPECT_THROW_MSG(this->store_->delete_("nope"), contextweaver::ArtifactNotFoundError,
                          "Artifact not found: 'nope'");
  this->store_->put("h", "x");
  this->store_->delete_("h");
  EXPECT_THROW(this->store_->delete_("h"), contextweaver::ArtifactNotFoundError);
}

// test_list_refs_sorted, plus S3: ordered by handle, not by file name
// ("a-b.json" sorts before "a.json" but handle "a" sorts before "a-b").
TYPED_TEST_P(ArtifactStoreConformance, ListRefsSortedByHandle) {
  this->store_->put("z1", "z");
  this->store_->put("a1", "a");
  this->store_->put("m1", "m");
  EXPECT_EQ(cwconf::handles_of(this->store_->list_refs()), (cwconf::Ids{"a1", "m1", "z1"}));
  this->store_->put("a-b", "1");
  this->store_->put("a", "2");
  this->store_->put("B", "3");
  this->store_->put("\xC3\xA9", "4");  // é sorts after every ASCII handle (code point order)
  EXPECT_EQ(cwconf::handles_of(this->store_->list_refs()),
            (cwconf::Ids{"B", "a", "a-b", "a1", "m1", "z1", "\xC3\xA9"}));
}

// test_list_refs_empty
TYPED_TEST_P(ArtifactStoreConformance, ListRefsEmpty) {
  EXPECT_TRUE(this->store_->list_refs().empty());
}

// test_exists_true / test_exists_false / test_exists_true_and_false
TYPED_TEST_P(ArtifactStoreConformance, ExistsTrueAndFalse) {
  EXPECT_FALSE(this->store_->exists("h1"));
  this->store_->put("h1", "data");
  EXPECT_TRUE(this->store_->exists("h1"));
  EXPECT_FALSE(this->store_->exists("h2"));
}

// put is an upsert: the second put wins, once in list_refs.
TYPED_TEST_P(ArtifactStoreConformance, PutOverwrites) {
  this->store_->put("h", "first version", "text/plain", "one");
  const auto ref = this->store_->put("h", "v2", "application/json", "two");
  EXPECT_EQ(ref, (contextweaver::ArtifactRef{"h", "application/json", 2, "two", ""}));
  EXPECT_EQ(this->store_->get("h"), "v2");
  EXPECT_EQ(this->store_->ref("h"), ref);
  EXPECT_EQ(this->store_->list_refs().size(), 1u);
}

TYPED_TEST_P(ArtifactStoreConformance, EmptyAndBinaryContent) {
  const auto empty = this->store_->put("empty", "");
  EXPECT_EQ(empty.size_bytes, 0);
  EXPECT_TRUE(this->store_->exists("empty"));
  EXPECT_EQ(this->store_->get("empty"), "");
  EXPECT_EQ(this->store_->drilldown("empty", contextweaver::loads(R"({"type":"head"})")), "");
  EXPECT_EQ(this->store_->drilldown("empty", contextweaver::loads(R"({"type":"lines"})")), "");
  EXPECT_EQ(this->store_->drilldown("empty", contextweaver::loads(R"({"type":"json_keys","keys":["a"]})")), "");

  std::string binary;
  for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
  binary += std::string("\0\0\xFF", 3);
  const auto ref = this->store_->put("bin", binary);
  EXPECT_EQ(ref.size_bytes, 259);
  EXPECT_EQ(this->store_->get("bin"), binary);
}

// Handles the firewall and users produce: ':' (artifact:<id>), spaces, non-ASCII, dots.
TYPED_TEST_P(ArtifactStoreConformance, UnusualButValidHandles) {
  for (const std::string handle : {"artifact:abc", "with space", "caf\xC3\xA9", "..x", "a..b", ".hidden"}) {
    const auto ref = this->store_->put(handle, "bytes of " + handle);
    EXPECT_EQ(ref.handle, handle);
    EXPECT_EQ(this->store_->get(handle), "bytes of " + handle);
    EXPECT_EQ(this->store_->ref(handle).handle, handle);
    EXPECT_TRUE(this->store_->exists(handle));
  }
  EXPECT_EQ(this->store_->list_refs().size(), 6u);
}

// test_drilldown_head and the head rules of store.md §6.2.
TYPED_TEST_P(ArtifactStoreConformance, DrilldownHead) {
  EXPECT_EQ(this->drill("hello world", R"({"type":"head","chars":5})"), "hello");
  EXPECT_EQ(this->drill(std::string(600, 'a'), R"({"type":"head"})"), std::string(500, 'a'));
  EXPECT_EQ(this->drill("hello", R"({"type":"head","chars":null})"), "hello");
  EXPECT_EQ(this->drill("hello", R"({"type":"head","chars":-2})"), "hel");
  EXPECT_EQ(this->drill("hello", R"({"type":"head","chars":-20})"), "");
  EXPECT_EQ(this->drill("hello", R"({"type":"head","chars":0})"), "");
  EXPECT_EQ(this->drill("hello", R"({"type":"head","chars":99})"), "hello");
  EXPECT_EQ(this->drill("hello", R"({"type":"head","chars":true})"), "h");
  EXPECT_EQ(this->drill("hello", R"({"type":"head","chars":false})"), "");
  // Code points, not bytes.
  EXPECT_EQ(this->drill("\xC3\xA9\xF0\x9F\x98\x80x", R"({"type":"head","chars":2})"), "\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(this->drill("\xC3\xA9\xF0\x9F\x98\x80x", R"({"type":"head","chars":-1})"), "\xC3\xA9\xF0\x9F\x98\x80");
}

TYPED_TEST_P(ArtifactStoreConformance, DrilldownHeadWrongTypeRaisesTypeError) {
  for (const char* sel : {R"({"type":"head","chars":1.5})", R"({"type":"head","chars":"5"})",
                          R"({"type":"head","chars":[1]})", R"({"type":"head","chars":{}})"}) {
    EXPECT_THROW(this->drill("hello", sel), contextweaver::TypeError) << sel;
  }
}

// Bytes are decoded as UTF-8 with replacement: one U+FFFD per maximal ill-formed subsequence.
TYPED_TEST_P(ArtifactStoreConformance, DrilldownDecodesInvalidUtf8WithReplacement) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(this->drill(std::string("a\xE2\x82") + "b", R"({"type":"head"})"), "a" + fffd + "b");
  EXPECT_EQ(this->drill("\xFF\xFE", R"({"type":"head"})"), fffd + fffd);
  EXPECT_EQ(this->drill("\xED\xA0\x80", R"({"type":"head"})"), fffd + fffd + fffd);
  EXPECT_EQ(this->drill("\xC0\xAF", R"({"type":"head"})"), fffd + fffd);
  EXPECT_EQ(this->drill("\xF4\x90\x80\x80", R"({"type":"head"})"), fffd + fffd + fffd + fffd);
  EXPECT_EQ(this->drill("\xF0\x9F\x98", R"({"type":"head"})"), fffd);
  EXPECT_EQ(this->drill("\xF0\x9F\x98x", R"({"type":"head","chars":1})"), fffd);
  EXPECT_EQ(this->drill("\xEF\xBB\xBFhi", R"({"type":"head","chars":1})"), "\xEF\xBB\xBF");  // BOM kept
  EXPECT_EQ(this->drill("a\xFF\nb\xC3", R"({"type":"lines","start":0})"), "a" + fffd + "\nb" + fffd);
  EXPECT_EQ(this->drill("\xFF\xFE", R"({"type":"head","chars":-1})"), fffd);
}

// test_drilldown_lines and the splitlines rules.
TYPED_TEST_P(ArtifactStoreConformance, DrilldownLines) {
  const std::string text = "line0\nline1\nline2\nline3";
  EXPECT_EQ(this->drill(text, R"({"type":"lines","start":1,"end":3})"), "line1\nline2");
  EXPECT_EQ(this->drill(text, R"({"type":"lines"})"), text);
  EXPECT_EQ(this->drill(text, R"({"type":"lines","start":null,"end":null})"), text);
  EXPECT_EQ(this->drill(text, R"({"type":"lines","start":-2})"), "line2\nline3");
  EXPECT_EQ(this->drill(text, R"({"type":"lines","end":-3})"), "line0");
  EXPECT_EQ(this->drill(text, R"({"type":"lines","start":9})"), "");
  EXPECT_EQ(this->drill(text, R"({"type":"lines","start":3,"end":1})"), "");
  EXPECT_EQ(this->drill(text, R"({"type":"lines","start":true,"end":2})"), "line1");
  EXPECT_EQ(this->drill("a\r\nb\rc\x0b"
                        "d\x0c"
                        "e\x1c"
                        "f\xC2\x85g\xE2\x80\xA8h\xE2\x80\xA9i\x1dj\x1ek",
                        R"({"type":"lines"})"),
            "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk");
  EXPECT_EQ(this->drill("a\n", R"({"type":"lines"})"), "a");
  EXPECT_EQ(this->drill("a\n\n", R"({"type":"lines"})"), "a\n");
  EXPECT_EQ(this->drill("\n", R"({"type":"lines","start":0,"end":5})"), "");
  EXPECT_EQ(this->drill("a\n\nb", R"({"type":"lines","start":1})"), "\nb");
  EXPECT_EQ(this->drill("tab\tstays\x85", R"({"type":"lines"})"), "tab\tstays\xEF\xBF\xBD");
  for (const char* sel :
       {R"({"type":"lines","start":1.0})", R"({"type":"lines","end":"2"})", R"({"type":"rows","start":[0]})"}) {
    EXPECT_THROW(this->drill(text, sel), contextweaver::TypeError) << sel;
  }
}

// test_drilldown_rows: identical to lines.
TYPED_TEST_P(ArtifactStoreConformance, DrilldownRows) {
  const std::string csv = "header\nrow1\nrow2\nrow3";
  EXPECT_EQ(this->drill(csv, R"({"type":"rows","start":0,"end":2})"), "header\nrow1");
  EXPECT_EQ(this->drill(csv, R"({"type":"rows","start":-1})"), "row3");
  EXPECT_EQ(this->drill("x\r\ny", R"({"type":"rows"})"), "x\ny");
}

// test_drilldown_json_keys: sorted keys, indent 2, exact text.
TYPED_TEST_P(ArtifactStoreConformance, DrilldownJsonKeys) {
  const std::string doc = R"({"name":"Alice","age":30,"role":"admin"})";
  EXPECT_EQ(this->drill(doc, R"({"type":"json_keys","keys":["name","role"]})"),
            "{\n  \"name\": \"Alice\",\n  \"role\": \"admin\"\n}");
  EXPECT_EQ(this->drill(doc, R"({"type":"json_keys","keys":["role","name","missing"]})"),
            "{\n  \"name\": \"Alice\",\n  \"role\": \"admin\"\n}");
  EXPECT_EQ(this->drill(doc, R"({"type":"json_keys","keys":["nope"]})"), "{}");
  EXPECT_EQ(this->drill(doc, R"({"type":"json_keys"})"), "{}");
  const std::string nested = R"(  {"b": {"z": [1, {"y": 2, "x": []}], "a": {}}, "c": 1.0, "d": 1E5, "e": -0,
    "f": "é😀", "g": null, "h": [], "i": true, "j": NaN, "k": -Infinity, "l": 12345678901234567} )";
  EXPECT_EQ(this->drill(nested, R"({"type":"json_keys","keys":["b","c","d","e","f","g","h","i","j","k","l"]})"),
            "{\n"
            "  \"b\": {\n"
            "    \"a\": {},\n"
            "    \"z\": [\n"
            "      1,\n"
            "      {\n"
            "        \"x\": [],\n"
            "        \"y\": 2\n"
            "      }\n"
            "    ]\n"
            "  },\n"
            "  \"c\": 1.0,\n"
            "  \"d\": 100000.0,\n"
            "  \"e\": 0,\n"
            "  \"f\": \"\\u00e9\\ud83d\\ude00\",\n"
            "  \"g\": null,\n"
            "  \"h\": [],\n"
            "  \"i\": true,\n"
            "  \"j\": NaN,\n"
            "  \"k\": -Infinity,\n"
            "  \"l\": 12345678901234567\n"
            "}");
  // Duplicate keys: the last value wins.
  EXPECT_EQ(this->drill(R"({"a":1,"a":2})", R"({"type":"json_keys","keys":["a"]})"), "{\n  \"a\": 2\n}");
  // Escaped keys match their decoded text.
  EXPECT_EQ(this->drill(R"({"\u0061b":"v","q\"":1})", R"({"type":"json_keys","keys":["ab","q\""]})"),
            "{\n  \"ab\": \"v\",\n  \"q\\\"\": 1\n}");
}

// test_drilldown_json_keys_invalid_json: parse failure or a non-object gives "".
TYPED_TEST_P(ArtifactStoreConformance, DrilldownJsonKeysInvalidJson) {
  for (const std::string bad : {"not json", "", "{\"a\":1} x", "{\"a\":1,}", "\xEF\xBB\xBF{\"a\":1}", "{'a':1}",
                                "{\"a\":\"x\ny\"}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":\"\\x\"}", "{\"a\" 1}", "[1,2]",
                                "\"str\"", "3", "null", "{\"a\":[1,2}", "{\"a\":tru}", "\xFF"}) {
    EXPECT_EQ(this->drill(bad, R"({"type":"json_keys","keys":["a"]})"), "") << bad;
  }
  // keys is not examined when the text is not an object.
  EXPECT_EQ(this->drill("oops", R"({"type":"json_keys","keys":null})"), "");
}

// keys iteration: a string iterates characters, an object its keys,
// null/number/bool -> TypeError, non-string elements never match,
// unhashable elements -> TypeError.
TYPED_TEST_P(ArtifactStoreConformance, DrilldownJsonKeysIteration) {
  const std::string doc = R"({"a":1,"b":2,"ab":3,"1":4})";
  EXPECT_EQ(this->drill(doc, R"({"type":"json_keys","keys":"ab"})"), "{\n  \"a\": 1,\n  \"b\": 2\n}");
  EXPECT_EQ(this->drill(doc, R"({"type":"json_keys","keys":{"ab":0,"zz":1}})"), "{\n  \"ab\": 3\n}");
  EXPECT_EQ(this->drill(doc, R"({"type":"json_keys","keys":[1,null,true,1.5,"b"]})"), "{\n  \"b\": 2\n}");
  for (const char* sel : {R"({"type":"json_keys","keys":null})", R"({"type":"json_keys","keys":5})",
                          R"({"type":"json_keys","keys":true})", R"({"type":"json_keys","keys":[["a"]]})",
                          R"({"type":"json_keys","keys":[{"a":1}]})"}) {
    EXPECT_THROW(this->drill(doc, sel), contextweaver::TypeError) << sel;
  }
}

// test_drilldown_unknown_type_raises: the base class itself, with repr() of the type.
TYPED_TEST_P(ArtifactStoreConformance, DrilldownUnknownTypeRaises) {
  this->store_->put("h", "data");
  const std::pair<const char*, const char*> cases[] = {
      {R"({"type":"unknown"})", "Unknown drilldown selector type: 'unknown'"},
      {R"({})", "Unknown drilldown selector type: ''"},
      {R"({"type":null})", "Unknown drilldown selector type: None"},
      {R"({"type":5})", "Unknown drilldown selector type: 5"},
      {R"({"type":"HEAD"})", "Unknown drilldown selector type: 'HEAD'"},
      {R"({"type":"it's"})", "Unknown drilldown selector type: \"it's\""},
  };
  for (const auto& [sel, message] : cases) {
    EXPECT_TRUE(cwconf::throws_with<contextweaver::ContextWeaverError>(
        [&] { this->store_->drilldown("h", contextweaver::loads(sel)); }, message, /*exact=*/true))
        << sel;
  }
}

// test_drilldown_missing_raises: not-found is reported before the selector is examined.
TYPED_TEST_P(ArtifactStoreConformance, DrilldownMissingRaises) {
  CWCONF_EXPECT_THROW_MSG(this->store_->drilldown("missing", contextweaver::loads(R"({"type":"head"})")),
                          contextweaver::ArtifactNotFoundError, "Artifact not found: 'missing'");
  EXPECT_THROW(this->store_->drilldown("missing", contextweaver::loads(R"({"type":"bogus"})")),
               contextweaver::ArtifactNotFoundError);
}

// Internally synchronized: concurrent puts, gets and listings.
TYPED_TEST_P(ArtifactStoreConformance, ConcurrentPutsAndReads) {
  constexpr int kPerThread = 50;
  std::atomic<bool> failed{false};
  auto writer = [&](const std::string& prefix) {
    for (int i = 0; i < kPerThread; ++i) {
      try {
        const std::string handle = prefix + std::to_string(i);
        this->store_->put(handle, std::string(100 + i, 'x'));
        if (this->store_->get(handle).size() != static_cast<std::size_t>(100 + i)) failed = true;
        this->store_->put("shared", std::string(64, prefix[0]));
      } catch (...) {
        failed = true;
      }
    }
  };
  auto reader = [&] {
    for (int i = 0; i < kPerThread; ++i) {
      try {
        for (const auto& ref : this->store_->list_refs()) {
          if (ref.handle == "shared" && ref.size_bytes != 64) failed = true;
        }
        if (this->store_->exists("shared")) {
          const auto bytes = this->store_->get("shared");
          if (bytes != std::string(64, 'a') && bytes != std::string(64, 'b')) failed = true;
        }
      } catch (...) {
        failed = true;
      }
    }
  };
  std::thread w1(writer, "a");
  std::thread w2(writer, "b");
  std::thread r(reader);
  w1.join();
  w2.join();
  r.join();
  EXPECT_FALSE(failed.load());
  EXPECT_EQ(this->store_->list_refs().size(), 2u * kPerThread + 1);
}

// test_reinstantiating_recovers_refs
TYPED_TEST_P(ArtifactStoreConformance, ReopenRecoversArtifacts) {
  CWCONF_REQUIRE_REOPEN() {
    this->store_->put("b", "bee", "text/plain", "B");
    this->store_->put("a", "ay", "application/json", "A");
    this->store_->put("gone", "x");
    this->store_->delete_("gone");
    this->store_.reset();
    this->store_ = this->factory_.reopen();
    EXPECT_EQ(cwconf::handles_of(this->store_->list_refs()), (cwconf::Ids{"a", "b"}));
    EXPECT_EQ(this->store_->ref("a"), (contextweaver::ArtifactRef{"a", "application/json", 2, "A", ""}));
    EXPECT_EQ(this->store_->ref("b").label, "B");
    EXPECT_EQ(this->store_->get("b"), "bee");
    EXPECT_FALSE(this->store_->exists("gone"));
    EXPECT_EQ(this->store_->drilldown("b", contextweaver::loads(R"({"type":"head","chars":2})")), "be");
  }
}

REGISTER_TYPED_TEST_SUITE_P(ArtifactStoreConformance, PutAndGet, RefReturnsMetadata, GetMissingRaises, RefMissingRaises,
                            MetadataAlias, MetadataMissingRaises, Delete, DeleteMissingRaises, ListRefsSortedByHandle,
                            ListRefsEmpty, ExistsTrueAndFalse, PutOverwrites, EmptyAndBinaryContent,
                            UnusualButValidHandles, DrilldownHead, DrilldownHeadWrongTypeRaisesTypeError,
                            DrilldownDecodesInvalidUtf8WithReplacement, DrilldownLines, DrilldownRows,
                            DrilldownJsonKeys, DrilldownJsonKeysInvalidJson, DrilldownJsonKeysIteration,
                            DrilldownUnknownTypeRaises, DrilldownMissingRaises, ConcurrentPutsAndReads,
                            ReopenRecoversArtifacts);
