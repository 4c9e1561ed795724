// Runs whisper.cpp (through @napi-rs/whisper) in a child process: its `full()` call is
// synchronous and takes hundreds of milliseconds per utterance, which would stall every
// other call's 20 ms frames, and a native fault (a damaged model file makes the binding
// crash on teardown) must not take the server down with it. One process holds one loaded
// model and serves requests in order. whisper.cpp's log goes to stderr, which the parent
// keeps for error messages.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const modelPath = process.argv[2];
let whisper;
let binding;
try {
  binding = require("@napi-rs/whisper");
  whisper = new binding.Whisper(modelPath, { useGpu: false });
} catch (error) {
  process.send({ failed: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
}

if (whisper) {
  process.on("message", ({ id, samples, language, threads }) => {
    try {
      const params = new binding.WhisperFullParams(binding.WhisperSamplingStrategy.Greedy);
      params.language = language;
      params.nThreads = threads;
      params.printProgress = false;
      params.printRealtime = false;
      params.printTimestamps = false;
      params.noContext = true;
      const text = whisper.full(params, samples);
      process.send({ id, text: typeof text === "string" ? text : "" });
    } catch (error) {
      process.send({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  // The parent going away ends this process.
  process.on("disconnect", () => process.exit(0));
  process.send({ ready: true });
}
