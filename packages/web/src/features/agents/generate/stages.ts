import type { GenerationProgress, GenerationStage, Job } from "@oratio/sdk";

/** The builder's stages in pipeline order, in words an operator reads. */
export const STAGE_LABELS: Record<string, string> = {
  "ingest documents": "Read your documents",
  "crawl site": "Crawl your website",
  "parse SOP": "Read the SOP into procedures",
  "extract business profile": "Collect the business facts",
  "draft agent": "Draft the agents",
  review: "Review the drafts",
  refine: "Refine after review",
  "build tests": "Create agents and starter tests",
};
const ORDER = Object.keys(STAGE_LABELS);

export const stageLabel = (name: string) => STAGE_LABELS[name] ?? name;

const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

/** The job's stages (all of them, pending ones included, in pipeline order). */
export function stagesOf(job: Job | null): GenerationStage[] {
  return inPipelineOrder(((job?.progress ?? {}) as GenerationProgress).stages ?? []);
}

/** Every stage of the pipeline, in order, with those not reported yet as pending. */
export function inPipelineOrder(listed: GenerationStage[]): GenerationStage[] {
  const byName = new Map(listed.map((s) => [s.name, s]));
  const known = ORDER.map(
    (name) => byName.get(name) ?? { name, status: "pending" as const, startMs: null, ms: null },
  );
  return [...known, ...listed.filter((s) => !STAGE_LABELS[s.name])];
}

/** How far a running stage is, from the counters ingestion and crawling report. */
function partial(stage: GenerationStage, progress: GenerationProgress): number {
  const counters = stage.name === "ingest documents" ? progress.ingest : progress.crawl;
  if (stage.name === "ingest documents" || stage.name === "crawl site") {
    const total = num(counters?.total) ?? num(counters?.discovered);
    const done = (num(counters?.indexed) ?? 0) + (num(counters?.failed) ?? 0);
    if (total) return Math.min(0.95, done / total);
  }
  return 0.5;
}

/** Share of the generation done, 0–1: each stage counts once, running ones in part. */
export function generationFraction(job: Job | null): number {
  if (!job) return 0;
  if (job.status === "succeeded") return 1;
  const progress = job.progress as GenerationProgress;
  const stages = stagesOf(job);
  const done = stages.reduce((sum, stage) => {
    if (stage.status === "done" || stage.status === "skipped" || stage.status === "failed") return sum + 1;
    if (stage.status === "running") return sum + partial(stage, progress);
    return sum;
  }, 0);
  return stages.length ? done / stages.length : 0;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What a stage found or did, from its detail and the live counters. */
export function stageDetail(stage: GenerationStage, progress: GenerationProgress): string | null {
  const d = stage.detail ?? {};
  if (typeof d.error === "string") return d.error;
  if (typeof d.reason === "string") return d.reason;
  switch (stage.name) {
    case "ingest documents": {
      const c = { ...progress.ingest, ...(stage.status === "running" ? {} : d) };
      const total = num(c.total);
      const indexed = num(c.indexed) ?? 0;
      const failed = num(c.failed) ? `, ${num(c.failed)} failed` : "";
      if (total === undefined)
        return num(c.indexed) === undefined ? null : `${plural(indexed, "document")} indexed${failed}`;
      return `${indexed} of ${plural(total, "document")} indexed${failed}`;
    }
    case "crawl site": {
      const c = stage.status === "running" ? progress.crawl : d;
      const parts = [
        num(c?.discovered) !== undefined && `${num(c?.discovered)} pages found`,
        num(c?.fetched) !== undefined && `${num(c?.fetched)} fetched`,
        num(c?.indexed) !== undefined && `${num(c?.indexed)} indexed`,
      ].filter(Boolean);
      return parts.length ? parts.join(" · ") : null;
    }
    case "parse SOP":
      if (num(d.intents) === undefined) return null;
      return `${plural(num(d.roles) ?? 0, "role")}, ${plural(num(d.intents) ?? 0, "procedure")}, ${plural(num(d.escalationRules) ?? 0, "escalation rule")}`;
    case "extract business profile":
      return num(d.facts) === undefined ? null : plural(num(d.facts) ?? 0, "fact");
    default:
      return null;
  }
}

export function formatMs(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
