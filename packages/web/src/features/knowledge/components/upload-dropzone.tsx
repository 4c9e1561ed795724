import { Upload } from "lucide-react";
import { type DragEvent, useId, useState } from "react";
import { FormError } from "../../../components/states.tsx";
import { cn } from "../../../lib/utils.ts";

const ACCEPT = ".pdf,.docx,.html,.htm,.md,.markdown,.txt,.csv";

/** Drop files here or pick them; accepted files go straight to ingestion. */
export function UploadDropzone({
  onFiles,
  pending,
  error,
  rejected,
}: {
  onFiles: (files: File[]) => void;
  pending: boolean;
  error: unknown;
  rejected: { name: string; error: string }[];
}) {
  const id = useId();
  const [over, setOver] = useState(false);
  function drop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    const files = [...event.dataTransfer.files];
    if (files.length) onFiles(files);
  }
  return (
    <div className="grid gap-2">
      <label
        htmlFor={id}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        className={cn(
          "flex cursor-pointer flex-col items-center gap-2 rounded-signature border-2 border-dashed border-border px-6 py-8 text-center text-sm transition-colors hover:border-accent",
          over && "border-accent bg-accent/5",
        )}
      >
        <Upload className="size-6 text-accent dark:text-[#b084ff]" aria-hidden />
        <span className="font-medium">{pending ? "Uploading…" : "Upload documents"}</span>
        <span className="text-subtle">
          Drag files here or choose them: PDF, DOCX, HTML, Markdown, CSV, text.
        </span>
      </label>
      <input
        id={id}
        type="file"
        multiple
        accept={ACCEPT}
        className="sr-only"
        disabled={pending}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = "";
          if (files.length) onFiles(files);
        }}
      />
      <FormError error={error} />
      {rejected.length > 0 && (
        <ul
          role="alert"
          className="grid gap-1 rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive"
        >
          {rejected.map((r) => (
            <li key={r.name}>
              {r.name}: {r.error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
