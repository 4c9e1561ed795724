import { stat } from "node:fs/promises";
import path from "node:path";
import { assertSafeUrl } from "@oratio/net";
import { entryFile, findCatalogueEntry, listModels } from "@oratio/providers";
import type { Handler } from "../../lib/openapi.ts";
import { orgOf } from "../../middleware/authorize.ts";
import { PULL_MODEL_JOB, serverCatalogue } from "../../model-store/pull-job.ts";
import type * as routes from "./model-store.routes.ts";

export const listStoredModels: Handler<typeof routes.listStoredModels> = async (c) => {
  const { modelsDir } = c.get("deps").config;
  const models = await listModels(modelsDir, { signal: c.req.raw.signal });
  return c.json(
    {
      // The directory is the server's own setting, shown so an operator knows where to put files.
      directory: modelsDir,
      data: models.map((m) => ({
        name: m.name,
        kind: m.kind,
        bytes: m.bytes,
        modifiedAt: m.modifiedAt.toISOString(),
      })),
    },
    200,
  );
};

export const listCatalogue: Handler<typeof routes.listCatalogue> = async (c) => {
  const { config } = c.get("deps");
  const catalogue = await serverCatalogue(config, c.req.raw.signal);
  const data = await Promise.all(
    catalogue.map(async (entry) => {
      const file = entryFile(entry);
      const info = await stat(path.join(config.modelsDir, file)).catch(() => undefined);
      return {
        name: entry.name,
        kind: entry.kind,
        url: entry.url,
        sha256: entry.sha256,
        bytes: entry.bytes ?? null,
        file,
        license: entry.license ?? null,
        description: entry.description ?? null,
        inStore: Boolean(info?.isFile() && (entry.bytes === undefined || info.size === entry.bytes)),
      };
    }),
  );
  return c.json({ data }, 200);
};

export const pullModel: Handler<typeof routes.pullModel> = async (c) => {
  const { config, jobs } = c.get("deps");
  const { scope } = orgOf(c);
  const body = c.req.valid("json");
  const catalogue = await serverCatalogue(config, c.req.raw.signal);
  const entry = findCatalogueEntry(catalogue, body.name);
  // Refuse a blocked host now, as a 400 the caller sees, rather than as a failed job later.
  await assertSafeUrl(entry.url, { allowList: config.fetchAllow });
  const job = await jobs.enqueue(
    scope,
    PULL_MODEL_JOB,
    { name: entry.name, force: body.force },
    // One retry covers a dropped connection that resuming could not save; a checksum
    // mismatch or a refused host is not retried.
    { maxAttempts: 2, progress: { receivedBytes: 0, totalBytes: entry.bytes ?? null } },
  );
  return c.json({ jobId: job.id, name: entry.name, file: entryFile(entry) }, 202);
};
