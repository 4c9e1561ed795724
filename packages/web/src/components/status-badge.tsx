import { cn } from "../lib/utils.ts";
import { Badge } from "./ui/badge.tsx";

const TONES: Record<string, string> = {
  published: "bg-success/15 text-success",
  ready: "bg-success/15 text-success",
  succeeded: "bg-success/15 text-success",
  active: "bg-success/15 text-success",
  draft: "bg-muted text-subtle",
  ended: "bg-muted text-subtle",
  queued: "bg-muted text-subtle",
  processing: "bg-accent/15 text-accent dark:text-[#b084ff]",
  running: "bg-accent/15 text-accent dark:text-[#b084ff]",
  human: "bg-accent/15 text-accent dark:text-[#b084ff]",
  needs_human: "bg-secondary text-secondary-foreground dark:bg-brand-orange dark:text-[#101010]",
  failed: "bg-destructive/15 text-destructive",
};

const LABELS: Record<string, string> = { needs_human: "Needs a human", human: "Human in charge" };

/** A status word in its colour; the colour only repeats what the word says. */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <Badge className={cn("capitalize", TONES[status], className)}>
      {LABELS[status] ?? status.replace(/_/g, " ")}
    </Badge>
  );
}
