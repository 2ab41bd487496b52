// sha256_hex reuses one OpenSSL context per thread; every call must still be
// an independent hashlib.sha256(b).hexdigest().
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "contextweaver/core/sha256.hpp"

namespace contextweaver {
namespace {

TEST(Sha256Hex, KnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Hex, RepeatedAndInterleavedCallsAreIndependent) {
  const std::string abc = sha256_hex("abc");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sha256_hex(std::string(200, 'x')), sha256_hex(std::string(200, 'x')));
    EXPECT_EQ(sha256_hex("abc"), abc);
  }
  EXPECT_EQ(sha256_hex(std::string_view("abcdef", 3)), abc);  // a view, not a C string
}

TEST(Sha256Hex, ThreadsHashIndependently) {
  const std::string expected = sha256_hex("abc");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        if (sha256_hex("abc") != expected) ++mismatches[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace contextweaver
