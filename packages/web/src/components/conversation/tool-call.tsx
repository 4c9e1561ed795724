import { Wrench } from "lucide-react";

function pretty(value: unknown): string {
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

/** A tool call with its arguments and, once it returned, its result. */
export function ToolCallView({
  name,
  args,
  result,
  isError,
}: {
  name: string;
  args: unknown;
  result?: string;
  isError?: boolean;
}) {
  return (
    <details className="rounded-md border border-border bg-background text-xs">
      <summary className="flex cursor-pointer items-center gap-2 px-3 py-2">
        <Wrench className="size-3.5 text-accent dark:text-[#b084ff]" aria-hidden />
        <span>
          Called <code className="font-mono font-semibold">{name}</code>
        </span>
        <span className={isError ? "text-destructive" : "text-subtle"}>
          {result === undefined ? "running…" : isError ? "failed" : "done"}
        </span>
      </summary>
      <div className="grid gap-2 border-t border-border px-3 py-2">
        <div>
          <p className="font-medium text-subtle">Arguments</p>
          <pre className="overflow-x-auto whitespace-pre-wrap">{pretty(args)}</pre>
        </div>
        {result !== undefined && (
          <div>
            <p className="font-medium text-subtle">Result</p>
            <pre className="max-h-48 overflow-auto whitespace-pre-wrap">{pretty(result)}</pre>
          </div>
        )}
      </div>
    </details>
  );
}
