import type { ComponentProps } from "react";
import { cn } from "../../lib/utils.ts";

export function Badge({ className, ...props }: ComponentProps<"span">) {
  return (
    <span
      className={cn(
        "inline-flex items-center rounded-full bg-muted px-2.5 py-0.5 text-xs font-medium text-foreground",
        className,
      )}
      {...props}
    />
  );
}
