import type { SpeechToText, TextToSpeech } from "@oratio/core/speech";
import {
  createKokoroTextToSpeech,
  createPiperTextToSpeech,
  createWhisperSpeechToText,
  sherpaModelDir,
  whisperModelPath,
} from "@oratio/speech";

/**
 * Local engines that load a model (Whisper, Piper, Kokoro) are loaded once per model and
 * shared by every call in this process: loading takes seconds and hundreds of megabytes,
 * and the engines serve requests one after another. A load that fails is forgotten, so the
 * next call tries again once the operator has put the model in place.
 */
const loaded = new Map<string, Promise<SpeechToText | TextToSpeech>>();

function shared<T extends SpeechToText | TextToSpeech>(key: string, load: () => Promise<T>): Promise<T> {
  let engine = loaded.get(key);
  if (!engine) {
    engine = load();
    loaded.set(key, engine);
    engine.catch(() => loaded.delete(key));
  }
  return engine as Promise<T>;
}

export function sharedWhisper(modelsDir: string, model: string | undefined): Promise<SpeechToText> {
  const modelPath = whisperModelPath(model, modelsDir);
  return shared(`whisper:${modelPath}`, () => createWhisperSpeechToText({ model: modelPath, modelsDir }));
}

export function sharedSherpaVoice(
  family: "piper" | "kokoro",
  modelsDir: string,
  model: string | undefined,
): Promise<TextToSpeech> {
  const dir = sherpaModelDir(family, model, modelsDir);
  const create = family === "piper" ? createPiperTextToSpeech : createKokoroTextToSpeech;
  return shared(`${family}:${dir}`, () => create({ model: dir, modelsDir }));
}
