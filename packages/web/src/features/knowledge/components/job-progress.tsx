import type { Job } from "@oratio/sdk";
import { StatusBadge } from "../../../components/status-badge.tsx";

const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

/** Describes a job's counters in words: crawls count pages, uploads count documents. */
export function describeProgress(job: Job): string {
  const p = job.progress;
  const parts: string[] = [];
  if (num(p.discovered) !== undefined) parts.push(`${num(p.discovered)} discovered`);
  if (num(p.fetched) !== undefined) parts.push(`${num(p.fetched)} fetched`);
  if (num(p.total) !== undefined && num(p.discovered) === undefined) parts.push(`${num(p.total)} documents`);
  if (num(p.indexed) !== undefined) parts.push(`${num(p.indexed)} indexed`);
  if (num(p.failed)) parts.push(`${num(p.failed)} failed`);
  return parts.join(" · ") || "Waiting to start";
}

function fraction(job: Job): number | undefined {
  const p = job.progress;
  const total = num(p.total) ?? num(p.discovered);
  const done = (num(p.indexed) ?? 0) + (num(p.failed) ?? 0);
  if (job.status === "succeeded") return 1;
  return total ? Math.min(1, done / total) : undefined;
}

export function JobProgress({ job, label }: { job: Job; label: string }) {
  const value = fraction(job);
  return (
    <div className="grid gap-1.5 rounded-md border border-border p-3 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{label}</span>
        <StatusBadge status={job.status} />
        <span className="text-subtle">{describeProgress(job)}</span>
      </div>
      <progress
        className="h-2 w-full overflow-hidden rounded-full accent-(--color-brand-violet)"
        aria-label={`${label} progress`}
        max={1}
        value={value}
      />
      {job.error && <p className="text-destructive">{job.error}</p>}
    </div>
  );
}
