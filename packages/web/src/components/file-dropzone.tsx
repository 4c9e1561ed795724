import { Upload } from "lucide-react";
import { type DragEvent, type ReactNode, useId, useState } from "react";
import { cn } from "../lib/utils.ts";

export const DOCUMENT_TYPES = ".pdf,.docx,.html,.htm,.md,.markdown,.txt,.csv";

/**
 * A labelled file picker that also takes files dropped on it. The input stays in the page
 * (visually hidden), so the label names it for screen readers and tests alike.
 */
export function FileDropzone({
  label,
  hint,
  multiple = true,
  accept = DOCUMENT_TYPES,
  disabled,
  compact,
  onFiles,
}: {
  label: string;
  hint?: ReactNode;
  multiple?: boolean;
  accept?: string;
  disabled?: boolean;
  compact?: boolean;
  onFiles: (files: File[]) => void;
}) {
  const id = useId();
  const [over, setOver] = useState(false);
  function drop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    if (disabled) return;
    const files = [...event.dataTransfer.files];
    if (files.length) onFiles(multiple ? files : files.slice(0, 1));
  }
  return (
    <div>
      <label
        htmlFor={id}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        className={cn(
          "flex cursor-pointer flex-col items-center gap-1.5 rounded-signature border-2 border-dashed border-border text-center text-sm transition-colors hover:border-accent",
          compact ? "px-4 py-4" : "px-6 py-8",
          over && "border-accent bg-accent/5",
          disabled && "cursor-not-allowed opacity-60",
        )}
      >
        <Upload className="size-5 text-accent dark:text-[#b084ff]" aria-hidden />
        <span className="font-medium">{label}</span>
        {hint && (
          <span id={`${id}-hint`} className="text-subtle">
            {hint}
          </span>
        )}
      </label>
      <input
        id={id}
        type="file"
        aria-label={label}
        aria-describedby={hint ? `${id}-hint` : undefined}
        multiple={multiple}
        accept={accept}
        className="sr-only"
        disabled={disabled}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = "";
          if (files.length) onFiles(files);
        }}
      />
    </div>
  );
}
