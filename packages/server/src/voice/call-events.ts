import { OratioError } from "@oratio/core";

/** An error as the JSON control event transports send to the caller's device. */
export function errorEvent(error: unknown): { type: "error"; code: string; message: string } {
  if (error instanceof OratioError) return { type: "error", code: error.code, message: error.message };
  return {
    type: "error",
    code: "voice-error",
    message: error instanceof Error ? error.message : "The voice call failed.",
  };
}
