import { createGuardedFetch, type GuardedFetch } from "@oratio/net";
import { type CatalogueEntry, loadCatalogue, pullModel } from "@oratio/providers";
import type { AppDeps } from "../context.ts";
import type { Config } from "../env.ts";
import type { JobContext } from "../jobs/types.ts";

export const PULL_MODEL_JOB = "model-store.pull";

export interface PullModelPayload {
  name: string;
  force?: boolean;
}

/** One guarded fetch (and its connection pool) per running server, built on first use. */
const fetchers = new WeakMap<Config, GuardedFetch>();
export function modelStoreFetch(config: Config): GuardedFetch {
  let guarded = fetchers.get(config);
  if (!guarded) {
    guarded = createGuardedFetch({ allowList: config.fetchAllow });
    fetchers.set(config, guarded);
  }
  return guarded;
}

/**
 * The catalogue the server pulls from: built-in entries plus ORATIO_MODEL_CATALOGUE. Read
 * on each use so an operator's edit applies without a restart; a URL goes through the
 * outbound guard like every other fetch.
 */
export function serverCatalogue(config: Config, signal?: AbortSignal): Promise<CatalogueEntry[]> {
  return loadCatalogue(config.modelCatalogue, { fetch: modelStoreFetch(config), signal });
}

/**
 * Downloads a catalogued model into the server's store. Progress (`receivedBytes`,
 * `totalBytes`) flows through the job's throttled progress, so it reaches `/jobs/{id}`,
 * `/jobs/{id}/events` and the organization's event stream. The store is shared by the
 * whole server; the job belongs to the organization whose admin asked for it.
 */
export function pullModelHandler(deps: AppDeps) {
  return async (ctx: JobContext<PullModelPayload>) => {
    const { config } = deps;
    const catalogue = await serverCatalogue(config, ctx.signal);
    const result = await pullModel(ctx.payload.name, {
      catalogue,
      modelsDir: config.modelsDir,
      force: ctx.payload.force ?? false,
      fetch: modelStoreFetch(config),
      signal: ctx.signal,
      onProgress: (p) => ctx.progress({ receivedBytes: p.receivedBytes, totalBytes: p.totalBytes ?? null }),
    });
    ctx.progress({ receivedBytes: result.bytes, totalBytes: result.bytes });
    // The absolute path stays on the server; clients know the store by relative names.
    return {
      name: result.name,
      file: result.file,
      bytes: result.bytes,
      sha256: result.sha256,
      downloaded: result.downloaded,
    };
  };
}

export function registerModelStoreJobs(deps: AppDeps): void {
  deps.jobs.register(PULL_MODEL_JOB, pullModelHandler(deps));
}
