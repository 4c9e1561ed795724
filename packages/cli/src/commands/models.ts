import { stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { isOratioError } from "@oratio/core";
import { createGuardedFetch, parseAllowList } from "@oratio/net";
import {
  type CatalogueEntry,
  entryFile,
  findCatalogueEntry,
  listModels,
  loadCatalogue,
  pullModel,
} from "@oratio/providers/model-store";
import type { Io } from "../io.ts";
import { formatBytes, ProgressBar } from "../progress.ts";
import { formatTable } from "../table.ts";

export const MODELS_USAGE = `Usage: oratio models <command> [options]

Works on the model store folder directly; no server is needed.

Commands:
  list           the model files in the store
  catalogue      the models that can be pulled, and which are in the store already
  pull NAME      download a catalogued model, check its sha256 and add it to the store

Options:
  --dir DIR            the model store (default: ORATIO_MODELS_DIR, else <ORATIO_DATA_DIR or ./data>/models)
  --catalogue SOURCE   an extra catalogue, a JSON file or an http(s) URL (default: ORATIO_MODEL_CATALOGUE)
  --force              pull again even when the store holds the file with the right checksum
  --json               print JSON

Downloads go through the outbound-request guard: private and loopback hosts need
ORATIO_FETCH_ALLOW. A pull writes to a hidden temp file and moves it into place only once
the checksum matches; an interrupted or refused pull leaves nothing behind.`;

/** Exit status for a command stopped by Ctrl-C, as shells report it (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

type Env = Record<string, string | undefined>;

/** The same folder the server uses: ORATIO_MODELS_DIR, else the data dir's `models`. */
export function modelsDirFrom(env: Env, explicit?: string): string {
  return path.resolve(
    explicit ?? env.ORATIO_MODELS_DIR ?? path.join(env.ORATIO_DATA_DIR || "data", "models"),
  );
}

export async function modelsCommand(argv: string[], env: Env, io: Io, signal?: AbortSignal): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: "string" },
      catalogue: { type: "string" },
      force: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean" },
    },
  });
  const [sub, ...rest] = positionals;
  if (values.help) {
    io.out(MODELS_USAGE);
    return 0;
  }
  const dir = modelsDirFrom(env, values.dir);
  let allowList: ReturnType<typeof parseAllowList>;
  try {
    allowList = parseAllowList(env.ORATIO_FETCH_ALLOW ?? "");
  } catch (error) {
    io.err(`ORATIO_FETCH_ALLOW: ${(error as Error).message}`);
    return 2;
  }
  const guardedFetch = createGuardedFetch({ allowList });
  const catalogueSource = values.catalogue ?? (env.ORATIO_MODEL_CATALOGUE || undefined);
  const catalogue = () => loadCatalogue(catalogueSource, { fetch: guardedFetch, signal });

  try {
    if (sub === "list" && rest.length === 0) return await listCommand(dir, values.json, io, signal);
    if (sub === "catalogue" && rest.length === 0)
      return await catalogueCommand(dir, await catalogue(), values.json, io);
    if (sub === "pull" && rest.length === 1) {
      return await pullCommand(
        rest[0]!,
        dir,
        await catalogue(),
        { force: values.force, json: values.json },
        io,
        {
          fetch: guardedFetch,
          signal,
        },
      );
    }
  } catch (error) {
    if (signal?.aborted) {
      io.err("Interrupted.");
      return INTERRUPTED_EXIT_CODE;
    }
    if (isOratioError(error)) {
      io.err(error.detail);
      return 1;
    }
    throw error;
  }
  io.err(MODELS_USAGE);
  return 2;
}

async function listCommand(dir: string, json: boolean, io: Io, signal?: AbortSignal): Promise<number> {
  const models = await listModels(dir, { signal });
  if (json) {
    io.out(
      JSON.stringify(
        { directory: dir, data: models.map((m) => ({ ...m, modifiedAt: m.modifiedAt.toISOString() })) },
        null,
        2,
      ),
    );
    return 0;
  }
  if (models.length === 0) {
    io.out(`No models in ${dir}. See \`oratio models catalogue\` for what can be pulled.`);
    return 0;
  }
  io.out(
    formatTable(
      ["NAME", "KIND", "SIZE", "MODIFIED"],
      models.map((m) => [m.name, m.kind, formatBytes(m.bytes), m.modifiedAt.toISOString().slice(0, 16)]),
    ),
  );
  io.out("");
  io.out(`${models.length} model(s) in ${dir}`);
  return 0;
}

/** Whether the store holds the entry's file (by name and, when catalogued, size; not hashed). */
async function inStore(dir: string, entry: CatalogueEntry): Promise<boolean> {
  const info = await stat(path.join(dir, entryFile(entry))).catch(() => undefined);
  return Boolean(info?.isFile() && (entry.bytes === undefined || info.size === entry.bytes));
}

async function catalogueCommand(
  dir: string,
  catalogue: CatalogueEntry[],
  json: boolean,
  io: Io,
): Promise<number> {
  const rows = await Promise.all(catalogue.map(async (e) => ({ ...e, inStore: await inStore(dir, e) })));
  if (json) {
    io.out(JSON.stringify({ directory: dir, data: rows }, null, 2));
    return 0;
  }
  io.out(
    formatTable(
      ["NAME", "KIND", "SIZE", "IN STORE", "DESCRIPTION"],
      rows.map((r) => [
        r.name,
        r.kind,
        r.bytes === undefined ? "?" : formatBytes(r.bytes),
        r.inStore ? "yes" : "no",
        r.description ?? "",
      ]),
    ),
  );
  return 0;
}

async function pullCommand(
  name: string,
  dir: string,
  catalogue: CatalogueEntry[],
  flags: { force: boolean; json: boolean },
  io: Io,
  options: { fetch: ReturnType<typeof createGuardedFetch>; signal?: AbortSignal },
): Promise<number> {
  const entry = findCatalogueEntry(catalogue, name);
  const size = entry.bytes === undefined ? "" : ` (${formatBytes(entry.bytes)})`;
  if (!flags.json) io.err(`Pulling ${name}${size} from ${new URL(entry.url).host} into ${dir}`);
  const bar = flags.json ? undefined : new ProgressBar(name, { tty: io.errTty, line: (l) => io.err(l) });
  try {
    const result = await pullModel(name, {
      catalogue,
      modelsDir: dir,
      force: flags.force,
      fetch: options.fetch,
      signal: options.signal,
      onProgress: (p) => bar?.update(p.receivedBytes, p.totalBytes),
    });
    bar?.finish();
    if (flags.json) {
      io.out(JSON.stringify(result, null, 2));
    } else if (result.downloaded) {
      io.out(`Saved ${result.file} (${formatBytes(result.bytes)}), sha256 ${result.sha256} verified.`);
    } else {
      io.out(
        `${result.file} is already in the store with the right sha256; nothing to do (--force pulls again).`,
      );
    }
    return 0;
  } catch (error) {
    bar?.finish();
    if (options.signal?.aborted) {
      io.err(`Interrupted; nothing of ${name} was kept.`);
      return INTERRUPTED_EXIT_CODE;
    }
    throw error;
  }
}
