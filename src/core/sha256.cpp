#include "contextweaver/core/sha256.hpp"

#include <openssl/evp.h>

#include <memory>
#include "contextweaver/core/errors.hpp"

namespace contextweaver {

namespace {

// The one-shot SHA256()/EVP_Digest fetch the algorithm from the provider and
// allocate a context on every call (~10k instructions for a short input);
// fetching once and reusing a per-thread context leaves only the hashing.
const EVP_MD* sha256_md() {
  // Kept for the life of the process (a thread's context may still hold it at exit).
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

EVP_MD_CTX* thread_ctx() {
  thread_local const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  return ctx.get();
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  const EVP_MD* md = sha256_md();
  EVP_MD_CTX* ctx = thread_ctx();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (md == nullptr || ctx == nullptr || EVP_DigestInit_ex2(ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx, bytes.data(), bytes.size()) != 1 || EVP_DigestFinal_ex(ctx, digest, &length) != 1 ||
      length != 32) {
    throw ContextWeaverError("sha256_hex: OpenSSL SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * 32, '\0');
  for (unsigned int i = 0; i < 32; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace contextweaver
