import { isOratioError, OratioError } from "@oratio/core";
import { type ExtractedDocument, extractDocument } from "@oratio/knowledge";

export interface AcceptedUpload {
  name: string;
  extracted: ExtractedDocument;
  bytes: number;
}

export interface RejectedUpload {
  name: string;
  status: number;
  error: string;
}

/**
 * Extracts each uploaded file on arrival, so damaged, encrypted, oversized or foreign files
 * are refused on the spot (413/415/422) while the rest of the batch goes through.
 */
export async function checkUploads(
  files: File[],
  maxBytes: number,
): Promise<{ accepted: AcceptedUpload[]; rejected: RejectedUpload[] }> {
  const accepted: AcceptedUpload[] = [];
  const rejected: RejectedUpload[] = [];
  for (const file of files) {
    const name = file.name || "upload";
    try {
      if (file.size > maxBytes) {
        throw new OratioError(413, "payload-too-large", "Payload too large", {
          detail: `${name} is ${file.size} bytes; the limit is ${maxBytes} bytes.`,
        });
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const extracted = await extractDocument(bytes, { fileName: name, maxBytes });
      accepted.push({ name, extracted, bytes: bytes.byteLength });
    } catch (error) {
      if (!isOratioError(error) || error.status >= 500) throw error;
      rejected.push({ name, status: error.status, error: error.detail });
    }
  }
  return { accepted, rejected };
}

/** The problem to answer when no file of a batch could be accepted. */
export function allRejected(rejected: RejectedUpload[]): OratioError {
  const statuses = new Set(rejected.map((r) => r.status));
  const status = statuses.size === 1 ? rejected[0]!.status : 422;
  return new OratioError(status, "upload-rejected", "No file could be accepted", {
    detail: rejected.map((r) => `${r.name}: ${r.error}`).join(" "),
    extensions: { rejected },
  });
}
