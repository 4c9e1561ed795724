import { getLlama, type Llama, LlamaLogLevel, type LlamaModel } from "node-llama-cpp";

// One llama.cpp runtime per process and one loaded copy per model file: loading is the
// expensive part, and several agents commonly share the same local model.
let runtime: Promise<Llama> | undefined;
const loaded = new Map<string, Promise<LlamaModel>>();

export function llamaRuntime(): Promise<Llama> {
  // CPU only and never compile: the prebuilt linux-x64 binary is what ships; a build or a
  // GPU probe would try to download toolchains, which self-hosted machines may not allow.
  runtime ??= getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  runtime.catch(() => {
    runtime = undefined;
  });
  return runtime;
}

export function loadLlamaModel(modelPath: string): Promise<LlamaModel> {
  let model = loaded.get(modelPath);
  if (!model) {
    model = llamaRuntime().then((llama) => llama.loadModel({ modelPath }));
    loaded.set(modelPath, model);
    model.catch(() => loaded.delete(modelPath));
  }
  return model;
}

/** Frees every loaded model (tests, shutdown). */
export async function unloadLlamaModels(): Promise<void> {
  const models = [...loaded.values()];
  loaded.clear();
  for (const model of models) await (await model.catch(() => undefined))?.dispose();
}
