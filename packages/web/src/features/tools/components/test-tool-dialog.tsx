import type { HttpToolInput, Tool } from "@oratio/sdk";
import { CheckCircle2, FlaskConical, XCircle } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Field } from "../../../components/form-field.tsx";
import { FormError } from "../../../components/states.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog, DialogContent } from "../../../components/ui/dialog.tsx";
import { Label } from "../../../components/ui/label.tsx";
import { Textarea } from "../../../components/ui/textarea.tsx";
import { useToolActions } from "../api/queries.ts";
import { parseJsonObject, sampleArguments } from "../tool-form.ts";

/** JSON (also JSON inside a string, as most endpoints answer) indented; other text as it is. */
function pretty(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value, null, 2);
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

/**
 * Calls the tool once for real with sample arguments and shows what an agent would get
 * back. For an MCP server, leaving the tool name empty lists the server's tools.
 */
export function TestToolDialog({
  tool,
  open,
  onOpenChange,
}: {
  tool: Tool;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { test } = useToolActions();
  const http = tool.kind === "http";
  const initial = () =>
    http ? JSON.stringify(sampleArguments((tool as HttpToolInput).parameters), null, 2) : "{}";
  const [args, setArgs] = useState(initial);
  const [serverTool, setServerTool] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  function close(next: boolean) {
    onOpenChange(next);
    if (!next) {
      setArgs(initial());
      setServerTool("");
      setProblem(null);
      test.reset();
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseJsonObject(args, "Sample arguments");
    if ("error" in parsed) {
      setProblem(parsed.error);
      return;
    }
    setProblem(null);
    test.mutate({ id: tool.id, args: parsed.value, tool: serverTool.trim() || undefined });
  }

  const result = test.data;
  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent
        className="max-w-2xl"
        title={`Test ${tool.name}`}
        description={
          http
            ? `Calls ${tool.url} once, for real, with these arguments — exactly as an agent would.`
            : "Lists the server's tools, or calls one of them once, for real."
        }
      >
        <form onSubmit={submit} className="grid gap-4" noValidate>
          {!http && (
            <Field
              id="test-server-tool"
              label="Server tool (optional)"
              value={serverTool}
              hint="Leave empty to list the tools the server offers."
              onChange={(e) => setServerTool(e.target.value)}
            />
          )}
          <div className="grid gap-1.5">
            <Label htmlFor="test-arguments">Sample arguments (JSON)</Label>
            <Textarea
              id="test-arguments"
              rows={6}
              className="font-mono text-xs"
              value={args}
              onChange={(e) => setArgs(e.target.value)}
            />
          </div>
          {problem && (
            <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
              {problem}
            </p>
          )}
          <FormError error={test.error} />
          <div className="flex justify-end">
            <Button type="submit" disabled={test.isPending}>
              <FlaskConical aria-hidden /> {test.isPending ? "Calling…" : "Run test"}
            </Button>
          </div>
        </form>
        {result && (
          <section aria-label="Test result" className="mt-4 grid gap-2 border-t border-border pt-4 text-sm">
            <p className="flex flex-wrap items-center gap-2 font-medium">
              {result.ok ? (
                <CheckCircle2 className="size-4 text-success" aria-hidden />
              ) : (
                <XCircle className="size-4 text-destructive" aria-hidden />
              )}
              {result.ok ? "It worked" : "It failed"}
              <span className="font-normal text-subtle">
                {[
                  result.status !== undefined && `HTTP ${result.status}`,
                  result.attempts !== undefined &&
                    `${result.attempts} ${result.attempts === 1 ? "attempt" : "attempts"}`,
                  `${result.durationMs} ms`,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </span>
            </p>
            <p className="text-xs text-subtle">
              {result.ok ? "What the agent would read:" : "What went wrong:"}
            </p>
            <pre className="max-h-64 overflow-auto rounded-md bg-muted p-3 font-mono text-xs whitespace-pre-wrap">
              {pretty(result.ok ? result.result : result.error)}
            </pre>
          </section>
        )}
      </DialogContent>
    </Dialog>
  );
}
