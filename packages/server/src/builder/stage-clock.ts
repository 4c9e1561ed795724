export interface StageRecord {
  name: string;
  status: "pending" | "running" | "done" | "failed" | "skipped";
  /** Milliseconds since the generation started. */
  startMs: number | null;
  ms: number | null;
  detail?: Record<string, unknown>;
}

/** The builder's stages in pipeline order; independent ones run at the same time. */
export const BUILDER_STAGES = [
  "ingest documents",
  "crawl site",
  "parse SOP",
  "extract business profile",
  "draft agent",
  "review",
  "refine",
  "build tests",
] as const;
export type BuilderStage = (typeof BUILDER_STAGES)[number];

/**
 * Times the stages and reports them as job progress. Draft, review and refine run once
 * per agent, concurrently, so their time is the span from the first start to the last end.
 */
export class StageClock {
  readonly stages = new Map<string, StageRecord>();
  private readonly started = performance.now();
  private readonly open = new Map<string, number>();

  constructor(private readonly publish: (stages: StageRecord[], current: string[]) => void) {
    for (const name of BUILDER_STAGES)
      this.stages.set(name, { name, status: "pending", startMs: null, ms: null });
  }

  elapsed(): number {
    return Math.round(performance.now() - this.started);
  }

  start(name: BuilderStage): void {
    const stage = this.stages.get(name)!;
    if (stage.startMs === null) stage.startMs = this.elapsed();
    stage.status = "running";
    this.open.set(name, (this.open.get(name) ?? 0) + 1);
    this.emit();
  }

  end(name: BuilderStage, detail?: Record<string, unknown>, status: StageRecord["status"] = "done"): void {
    const stage = this.stages.get(name)!;
    const left = (this.open.get(name) ?? 1) - 1;
    this.open.set(name, left);
    if (stage.startMs === null) stage.startMs = this.elapsed();
    stage.ms = this.elapsed() - stage.startMs;
    if (detail) stage.detail = { ...stage.detail, ...detail };
    if (left === 0 || status === "failed") stage.status = status;
    this.emit();
  }

  async run<T>(name: BuilderStage, work: () => Promise<T>, detail?: (value: T) => Record<string, unknown>) {
    this.start(name);
    try {
      const value = await work();
      this.end(name, detail?.(value));
      return value;
    } catch (error) {
      this.end(name, { error: error instanceof Error ? error.message : String(error) }, "failed");
      throw error;
    }
  }

  skip(name: BuilderStage, reason: string): void {
    const stage = this.stages.get(name)!;
    stage.status = "skipped";
    stage.detail = { reason };
    this.emit();
  }

  list(): StageRecord[] {
    return [...this.stages.values()];
  }

  private emit(): void {
    const current = [...this.open].filter(([, n]) => n > 0).map(([name]) => name);
    this.publish(this.list(), current);
  }
}
