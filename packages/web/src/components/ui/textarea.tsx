import type { ComponentProps } from "react";
import { cn } from "../../lib/utils.ts";

export function Textarea({ className, ...props }: ComponentProps<"textarea">) {
  return (
    <textarea
      className={cn(
        "min-h-24 w-full min-w-0 rounded-md border border-border bg-surface px-3 py-2 text-sm text-foreground placeholder:text-subtle/80 focus-visible:outline-2 focus-visible:outline-ring disabled:opacity-60",
        className,
      )}
      {...props}
    />
  );
}
