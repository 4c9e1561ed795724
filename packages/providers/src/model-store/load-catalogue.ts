import { readFile } from "node:fs/promises";
import { OratioError } from "@oratio/core";
import { z } from "zod";
import { BUILTIN_CATALOGUE } from "./builtin-catalogue.ts";
import { type CatalogueEntry, MODEL_KINDS } from "./catalogue.ts";

/** An operator catalogue that cannot be read or does not follow the format. */
export class CatalogueError extends OratioError {
  constructor(source: string, detail: string, cause?: unknown) {
    super(503, "model-catalogue-unavailable", "Model catalogue unavailable", {
      detail: `The model catalogue ${source} ${detail}`,
      cause,
    });
  }
}

const MAX_CATALOGUE_BYTES = 1024 * 1024;

const EntrySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/i, "letters, digits, dot, dash or underscore (up to 100)"),
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i, "must be 64 hex digits"),
  bytes: z.number().int().positive().optional(),
  kind: z.enum(MODEL_KINDS as [CatalogueEntry["kind"], ...CatalogueEntry["kind"][]]),
  file: z
    .string()
    .min(1)
    .max(300)
    .refine((f) => !f.startsWith("/") && !f.split(/[\\/]/).some((part) => part === ".." || part === ""), {
      message: "must be a relative path inside the store",
    })
    .optional(),
  license: z.string().max(200).optional(),
  description: z.string().max(1000).optional(),
});

const EntryListSchema = z.array(EntrySchema);
const CatalogueObjectSchema = z.strictObject({ models: EntryListSchema });

/** Validates catalogue JSON; `source` names it in error messages. */
export function parseCatalogue(text: string, source: string): CatalogueEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogueError(source, `is not JSON: ${(error as Error).message}`, error);
  }
  // `{"models": [...]}` or a bare array of entries; picked by shape so errors point at a field.
  const parsed = Array.isArray(json)
    ? EntryListSchema.safeParse(json)
    : CatalogueObjectSchema.transform((o) => o.models).safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const where = first.path.length ? ` at ${first.path.join(".")}` : "";
    throw new CatalogueError(source, `is not a valid catalogue${where}: ${first.message}`);
  }
  const entries = parsed.data;
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) throw new CatalogueError(source, `lists "${entry.name}" twice`);
    seen.add(entry.name);
  }
  return entries.map((e) => ({ ...e, sha256: e.sha256.toLowerCase() }));
}

export interface LoadCatalogueOptions {
  /** Used for http(s) sources; pass the outbound-request guard's fetch. */
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  signal?: AbortSignal;
}

/**
 * The built-in catalogue, plus the operator's (a file path or an http(s) URL) when one is
 * configured; an operator entry replaces a built-in one of the same name.
 */
export async function loadCatalogue(
  source: string | undefined,
  options: LoadCatalogueOptions = {},
): Promise<CatalogueEntry[]> {
  if (!source) return [...BUILTIN_CATALOGUE];
  const text = /^https?:\/\//i.test(source)
    ? await fetchCatalogue(source, options)
    : await readFile(source, "utf8").catch((error: NodeJS.ErrnoException) => {
        throw new CatalogueError(source, `cannot be read (${error.code ?? error.message})`, error);
      });
  const operator = parseCatalogue(text, source);
  const names = new Set(operator.map((e) => e.name));
  return [...BUILTIN_CATALOGUE.filter((e) => !names.has(e.name)), ...operator];
}

async function fetchCatalogue(url: string, options: LoadCatalogueOptions): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, { signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const cause = (error as Error).cause;
    const reason = cause instanceof Error ? cause.message : (error as Error).message;
    throw new CatalogueError(url, `cannot be fetched: ${reason}`, error);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new CatalogueError(url, `cannot be fetched: HTTP ${response.status}`);
  }
  // Read with a cap: a catalogue is a small JSON document, never worth unbounded memory.
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_CATALOGUE_BYTES) break; // leaving the loop cancels the transfer
    chunks.push(chunk);
  }
  if (size > MAX_CATALOGUE_BYTES)
    throw new CatalogueError(url, `is larger than ${MAX_CATALOGUE_BYTES} bytes`);
  return Buffer.concat(chunks).toString("utf8");
}
