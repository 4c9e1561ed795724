import { FileDropzone } from "../../../components/file-dropzone.tsx";
import { FormError } from "../../../components/states.tsx";

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
  return (
    <div className="grid gap-2">
      <FileDropzone
        label={pending ? "Uploading…" : "Upload documents"}
        hint="Drag files here or choose them: PDF, DOCX, HTML, Markdown, CSV, text."
        disabled={pending}
        onFiles={onFiles}
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
