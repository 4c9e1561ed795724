import { ExternalLink, FileText } from "lucide-react";

export interface SourceLike {
  id?: string;
  documentId: string;
  title?: string | null;
  url?: string | null;
  page?: number | null;
  headingPath?: string[] | null;
  snippet?: string;
}

function label(source: SourceLike): string {
  const parts = [source.title || "Untitled document"];
  if (source.page) parts.push(`page ${source.page}`);
  if (source.headingPath?.length) parts.push(source.headingPath.join(" › "));
  return parts.join(" · ");
}

/** The sources an answer cites: web pages open in a new tab; documents show the cited passage. */
export function Sources({ sources }: { sources: SourceLike[] }) {
  if (sources.length === 0) return null;
  return (
    <div className="mt-2 border-t border-border/70 pt-2">
      <p className="text-xs font-medium text-subtle">Sources</p>
      <ol className="mt-1 grid gap-1 text-xs">
        {sources.map((source, n) => (
          <li key={source.id ?? `${source.documentId}-${n}`}>
            {source.url ? (
              <a
                href={source.url}
                target="_blank"
                rel="noreferrer noopener"
                className="inline-flex items-center gap-1 text-accent underline-offset-2 hover:underline dark:text-[#b084ff]"
              >
                <span aria-hidden>[{n + 1}]</span> {label(source)}{" "}
                <ExternalLink className="size-3" aria-hidden />
              </a>
            ) : (
              <details>
                <summary className="inline-flex cursor-pointer items-center gap-1 text-accent dark:text-[#b084ff]">
                  <span aria-hidden>[{n + 1}]</span> <FileText className="size-3" aria-hidden />{" "}
                  {label(source)}
                </summary>
                {source.snippet && (
                  <blockquote className="mt-1 rounded-md border-l-2 border-brand-orange bg-muted px-2 py-1 text-subtle">
                    {source.snippet}
                  </blockquote>
                )}
              </details>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
