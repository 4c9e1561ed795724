import { Globe } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Field } from "../../../components/form-field.tsx";
import { FormError } from "../../../components/states.tsx";
import { Button } from "../../../components/ui/button.tsx";

export function WebsiteForm({
  pending,
  error,
  onSubmit,
}: {
  pending: boolean;
  error: unknown;
  onSubmit: (input: { url: string; maxPages?: number }) => void;
}) {
  const [url, setUrl] = useState("");
  const [maxPages, setMaxPages] = useState("50");
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit({ url: url.trim(), maxPages: maxPages ? Number(maxPages) : undefined });
  }
  return (
    <form onSubmit={submit} className="grid gap-3" aria-label="Add a website">
      <div className="grid gap-3 sm:grid-cols-[1fr_8rem]">
        <Field
          id="website-url"
          label="Website address"
          type="url"
          required
          placeholder="https://www.example.com"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <Field
          id="website-max-pages"
          label="Page limit"
          type="number"
          min={1}
          max={1000}
          value={maxPages}
          onChange={(e) => setMaxPages(e.target.value)}
        />
      </div>
      <FormError error={error} />
      <Button type="submit" variant="outline" className="justify-self-start" disabled={pending}>
        <Globe aria-hidden /> {pending ? "Starting crawl…" : "Add website"}
      </Button>
    </form>
  );
}
