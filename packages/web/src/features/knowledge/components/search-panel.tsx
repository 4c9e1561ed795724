import type { SearchResult } from "@oratio/sdk";
import { useMutation } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Highlighted } from "../../../components/markdown.tsx";
import { FormError } from "../../../components/states.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { Label } from "../../../components/ui/label.tsx";
import { useApi } from "../../../lib/api.tsx";

/** Tries the knowledge base as an agent would: the passages a question retrieves, with their sources. */
export function SearchPanel({ knowledgeBaseId }: { knowledgeBaseId: string }) {
  const client = useApi();
  const [query, setQuery] = useState("");
  const search = useMutation({
    mutationFn: (q: string) => client.knowledgeBases.search(knowledgeBaseId, q, 5),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (query.trim()) search.mutate(query.trim());
  }
  return (
    <div className="grid gap-3">
      <form onSubmit={submit} className="flex items-end gap-2" aria-label="Knowledge search">
        <div className="grid flex-1 gap-1.5">
          <Label htmlFor="kb-search">Search this knowledge base</Label>
          <Input
            id="kb-search"
            type="search"
            value={query}
            placeholder="e.g. can I drink through a straw after an extraction"
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        <Button type="submit" disabled={search.isPending}>
          <Search aria-hidden /> Search
        </Button>
      </form>
      <FormError error={search.error} />
      {search.data &&
        (search.data.length === 0 ? (
          <p className="text-sm text-subtle">Nothing matches that question.</p>
        ) : (
          <ol className="grid gap-2" aria-label="Search results">
            {search.data.map((result) => (
              <SearchResultItem key={result.chunkId} result={result} />
            ))}
          </ol>
        ))}
    </div>
  );
}

function SearchResultItem({ result }: { result: SearchResult }) {
  const { citation } = result;
  const where = [citation.page ? `page ${citation.page}` : null, citation.headingPath.join(" › ") || null]
    .filter(Boolean)
    .join(" · ");
  return (
    <li className="rounded-md border border-border p-3 text-sm">
      <p className="leading-relaxed">
        <Highlighted snippet={result.snippet} />
      </p>
      <p className="mt-1 text-xs text-subtle">
        {citation.url ? (
          <a
            href={citation.url}
            target="_blank"
            rel="noreferrer noopener"
            className="text-accent hover:underline dark:text-[#b084ff]"
          >
            {citation.title}
          </a>
        ) : (
          <span className="font-medium text-foreground">{citation.title}</span>
        )}
        {where && ` · ${where}`} · score {result.score.toFixed(3)}
      </p>
    </li>
  );
}
