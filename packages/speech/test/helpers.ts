import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readWav, type WavAudio } from "../src/index.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Model store for tests: ORATIO_MODELS_DIR, else the shared folder next to the repo. */
export const testModelsDir = process.env.ORATIO_MODELS_DIR ?? path.resolve(repoRoot, "../shared/models");

export function modelFile(relative: string): string | undefined {
  const file = path.join(testModelsDir, relative);
  if (existsSync(file)) return file;
  console.warn(`Skipping: ${file} not found (set ORATIO_MODELS_DIR to the model store).`);
  return undefined;
}

export function loadWav(file: string): WavAudio {
  return readWav(readFileSync(file));
}

/** Signal power at one frequency (Goertzel), normalised to amplitude. */
export function toneAmplitude(samples: Int16Array, sampleRate: number, frequency: number): number {
  const omega = (2 * Math.PI * frequency) / sampleRate;
  const coefficient = 2 * Math.cos(omega);
  let previous = 0;
  let beforePrevious = 0;
  for (const sample of samples) {
    const current = sample + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  const power =
    previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
  return (2 * Math.sqrt(power)) / samples.length;
}

export function sine(frequency: number, sampleRate: number, seconds: number, amplitude = 10000): Int16Array {
  const out = new Int16Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
  return out;
}

/** Lower-case words without punctuation. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z']+/g) ?? [];
}

/** Share of `expected` words that appear in `actual`. */
export function wordOverlap(expected: string, actual: string): number {
  const heard = new Set(words(actual));
  const wanted = words(expected);
  return wanted.filter((word) => heard.has(word)).length / wanted.length;
}
