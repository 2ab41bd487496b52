// Encodes texts with the npm `tiktoken` package (tiktoken's Rust core built to
// WASM) so the C++ tokenizer can be checked against the real thing.
//
//   node oracle.cjs <tiktoken-package-dir> <encoding> <mode> <input.json> <output.json>
//
// input.json is a JSON array of strings; output.json receives a JSON array of
// token-id arrays, one per text. mode "ordinary" uses encode_ordinary (special
// token strings are plain text); mode "special" uses encode(text, "all", []).
"use strict";
const fs = require("fs");

const [pkgDir, encodingName, mode, inputPath, outputPath] = process.argv.slice(2);
if (!outputPath || (mode !== "ordinary" && mode !== "special")) {
  process.stderr.write("usage: oracle.cjs <tiktoken-dir> <encoding> <ordinary|special> <in.json> <out.json>\n");
  process.exit(2);
}
const { get_encoding } = require(pkgDir);
const enc = get_encoding(encodingName);
const texts = JSON.parse(fs.readFileSync(inputPath, "utf8"));
const out = texts.map((t) => Array.from(mode === "ordinary" ? enc.encode_ordinary(t) : enc.encode(t, "all", [])));
enc.free();
fs.writeFileSync(outputPath, JSON.stringify(out));
