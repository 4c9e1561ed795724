import type { ComponentProps } from "react";
import { cn } from "../../lib/utils.ts";

export const fieldClass =
  "h-10 w-full min-w-0 rounded-md border border-border bg-surface px-3 text-sm text-foreground placeholder:text-subtle/80 focus-visible:outline-2 focus-visible:outline-ring disabled:opacity-60 aria-invalid:border-destructive";

export function Input({ className, ...props }: ComponentProps<"input">) {
  return <input className={cn(fieldClass, className)} {...props} />;
}

/** A native select: keyboard and screen-reader support come with the platform. */
export function NativeSelect({ className, ...props }: ComponentProps<"select">) {
  return <select className={cn(fieldClass, "pr-8", className)} {...props} />;
}
