import path from "node:path";

/** The model store folder: explicit option, then ORATIO_MODELS_DIR, then ./data/models. */
export function resolveModelsDir(explicit?: string): string {
  return path.resolve(explicit ?? process.env.ORATIO_MODELS_DIR ?? path.join("data", "models"));
}
