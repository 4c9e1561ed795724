/**
 * Shared pieces of the voice benchmarks: caller speech, VAD choice, percentiles, output.
 * Not a benchmark itself.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { VoiceActivityDetector } from "@oratio/core/speech";
import {
  concatPcm16,
  createFliteTextToSpeech,
  createSileroVad,
  createWebRtcVad,
  type SileroRuntime,
} from "@oratio/speech";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const modelsDir = process.env.ORATIO_MODELS_DIR ?? path.resolve(benchDir, "../../shared/models");
export const sileroPath = path.join(modelsDir, "vad/silero_vad.onnx");
export const hasSilero = existsSync(sileroPath);

/** `VOICE_BENCH_SILERO_RUNTIME=sherpa-onnx` measures one sherpa-onnx detector per call. */
export const sileroRuntime: SileroRuntime =
  process.env.VOICE_BENCH_SILERO_RUNTIME === "sherpa-onnx" ? "sherpa-onnx" : "onnxruntime";

export async function createVad(
  kind: "silero" | "webrtc",
  sampleRate: 8000 | 16000 = 16000,
): Promise<VoiceActivityDetector> {
  return kind === "silero"
    ? createSileroVad({ modelPath: sileroPath, sampleRate, runtime: sileroRuntime })
    : createWebRtcVad({ sampleRate });
}

/** Real speech for the caller side (flite, 16 kHz). */
export async function callerSpeech(text: string): Promise<Int16Array> {
  const tts = createFliteTextToSpeech({ voice: "kal16" });
  const parts: Int16Array[] = [];
  for await (const chunk of tts.synthesize(text)) parts.push(chunk.samples);
  await tts.close();
  return concatPcm16(parts);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summary(values: number[]): { n: number; p50: number; p95: number; max: number } {
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    max: round(Math.max(...values)),
  };
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function writeResult(name: string, data: unknown): string {
  const dir = path.join(benchDir, "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
