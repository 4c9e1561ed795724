import { existsSync } from "node:fs";
import path from "node:path";
import { SpeechEngineUnavailableError } from "@oratio/core/speech";

/**
 * Model files come from the model store: `ORATIO_MODELS_DIR`, else `./data/models`. Nothing
 * here downloads; a missing file is reported with the command that fetches it.
 */
export function modelsDir(override?: string): string {
  return path.resolve(override ?? process.env.ORATIO_MODELS_DIR ?? "./data/models");
}

/** Absolute path of a model file in the store, or a clear error naming how to get it. */
export function requireModelFile(
  engine: string,
  relativePath: string,
  pullName: string,
  options: { modelsDir?: string } = {},
): string {
  const file = path.join(modelsDir(options.modelsDir), relativePath);
  if (!existsSync(file)) {
    throw new SpeechEngineUnavailableError(
      engine,
      `Model file ${file} was not found.`,
      `run \`oratio models pull ${pullName}\` or set ORATIO_MODELS_DIR to a folder containing ${relativePath}.`,
    );
  }
  return file;
}
