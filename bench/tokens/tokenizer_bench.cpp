// Throughput of the cl100k_base / o200k_base tokenizers (bytes/s), on
// ordinary text (the reference's scenario texts repeated to ~1 MB) and on the
// same text with 2,000-character words mixed in. bench/tokens/compare.sh runs
// this next to the npm tiktoken package on the identical files.
//
//   bench_tokens [--write-corpus DIR] [google benchmark flags]
#include "contextweaver/tokens/bpe.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

namespace {

namespace fs = std::filesystem;

fs::path repo_root() {
  return fs::path(CW_SOURCE_DIR);
}

std::string scenario_text() {
  const char* env = std::getenv("CW_SHARED_DIR");
  const fs::path shared = env && *env ? fs::path(env) : repo_root().parent_path() / "shared";
  std::string all;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(shared / "data/reference/benchmarks/scenarios", ec)) {
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("text") && j["text"].is_string()) all += j["text"].get<std::string>() + "\n";
    }
  }
  return all;
}

// ~1 MB of ordinary text: the scenario texts, repeated.
const std::string& ordinary_text() {
  static const std::string text = [] {
    const std::string base = scenario_text();
    std::string out;
    while (!base.empty() && out.size() < (1u << 20)) out += base;
    return out;
  }();
  return text;
}

// The ordinary text with a 2,000-letter random word after every ~8 KB, so a
// fifth of the bytes are long words (the case that goes quadratic in a
// naive merge loop).
const std::string& long_word_text() {
  static const std::string text = [] {
    const std::string& base = ordinary_text();
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> letter(0, 25);
    std::string out;
    for (std::size_t pos = 0; pos < base.size(); pos += 8192) {
      out.append(base, pos, 8192);
      out += ' ';
      for (int i = 0; i < 2000; ++i) out += static_cast<char>('a' + letter(rng));
      out += ' ';
    }
    return out;
  }();
  return text;
}

std::shared_ptr<const contextweaver::BpeEncoding> encoding(const std::string& name) {
  const fs::path npm = repo_root() / ".deps/tiktoken/package/encoders";
  if (auto path = contextweaver::BpeEncoding::find_table(name))
    return contextweaver::BpeEncoding::load_file(*path, name);
  if (auto path = contextweaver::BpeEncoding::find_table(name, npm))
    return contextweaver::BpeEncoding::load_file(*path, name);
  return nullptr;
}

void run(benchmark::State& state, const std::string& name, const std::string& text) {
  const auto enc = encoding(name);
  if (!enc) return state.SkipWithError((name + ".json absent; run scripts/bootstrap").c_str());
  if (text.empty()) return state.SkipWithError("scenario texts absent (../shared)");
  std::size_t tokens = 0;
  for (auto _ : state) {
    auto ids = enc->encode_ordinary(text);
    tokens = ids.size();
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["tokens"] = static_cast<double>(tokens);
}

void BM_Cl100k_Ordinary(benchmark::State& s) {
  run(s, "cl100k_base", ordinary_text());
}
void BM_Cl100k_LongWords(benchmark::State& s) {
  run(s, "cl100k_base", long_word_text());
}
void BM_O200k_Ordinary(benchmark::State& s) {
  run(s, "o200k_base", ordinary_text());
}
void BM_O200k_LongWords(benchmark::State& s) {
  run(s, "o200k_base", long_word_text());
}

BENCHMARK(BM_Cl100k_Ordinary)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Cl100k_LongWords)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_O200k_Ordinary)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_O200k_LongWords)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--write-corpus") == 0) {
    std::ofstream(fs::path(argv[2]) / "ordinary.txt", std::ios::binary) << ordinary_text();
    std::ofstream(fs::path(argv[2]) / "longwords.txt", std::ios::binary) << long_word_text();
    return ordinary_text().empty() ? 1 : 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
