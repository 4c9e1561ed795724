import type { GenerateInput } from "@oratio/sdk";
import { Link } from "@tanstack/react-router";
import { FileText, PenLine, Sparkles, X } from "lucide-react";
import { type FormEvent, useState } from "react";
import { FileDropzone } from "../../../../components/file-dropzone.tsx";
import { Field } from "../../../../components/form-field.tsx";
import { FormError } from "../../../../components/states.tsx";
import { Button, buttonVariants } from "../../../../components/ui/button.tsx";
import { Card, CardDescription, CardTitle } from "../../../../components/ui/card.tsx";
import { Input, NativeSelect } from "../../../../components/ui/input.tsx";
import { Label } from "../../../../components/ui/label.tsx";
import { Textarea } from "../../../../components/ui/textarea.tsx";
import { useAgentChoices } from "../../api/queries.ts";
import { languageModelProviders } from "../../components/model-picker.tsx";

const LANGUAGES = {
  en: "English",
  de: "German",
  fr: "French",
  es: "Spanish",
  it: "Italian",
  nl: "Dutch",
  pt: "Portuguese",
  sv: "Swedish",
  da: "Danish",
  no: "Norwegian",
  fi: "Finnish",
} as const;

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/** Step one of the wizard: what the agents are built from. */
export function SourcesForm({
  pending,
  error,
  onSubmit,
}: {
  pending: boolean;
  error: unknown;
  onSubmit: (input: GenerateInput) => void;
}) {
  const { providers } = useAgentChoices();
  const [name, setName] = useState("");
  const [sopText, setSopText] = useState("");
  const [sopFile, setSopFile] = useState<File | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [websiteUrl, setWebsiteUrl] = useState("");
  const [language, setLanguage] = useState("en");
  const [providerId, setProviderId] = useState("");
  const [model, setModel] = useState("");
  const [missingSop, setMissingSop] = useState(false);

  function addFiles(added: File[]) {
    // The same file dropped twice is kept once.
    setFiles((current) => [
      ...current,
      ...added.filter((f) => !current.some((c) => c.name === f.name && c.size === f.size)),
    ]);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!sopFile && !sopText.trim()) {
      setMissingSop(true);
      return;
    }
    onSubmit({
      name: name.trim(),
      sop: sopFile ?? sopText,
      files,
      websiteUrl: websiteUrl.trim() || undefined,
      language,
      providerId: providerId || undefined,
      model: model.trim() || undefined,
    });
  }

  return (
    <form onSubmit={submit} className="grid gap-6" aria-label="Agent sources">
      <Card className="grid gap-4">
        <div>
          <CardTitle>Your business</CardTitle>
          <CardDescription>
            The agents are named after the roles your SOP describes; their knowledge base after your business.
          </CardDescription>
        </div>
        <Field
          id="generate-name"
          label="Business name"
          required
          maxLength={100}
          value={name}
          placeholder="e.g. Harborview Family Dental"
          onChange={(e) => setName(e.target.value)}
        />
      </Card>

      <Card className="grid gap-4">
        <div>
          <CardTitle>Standard operating procedure</CardTitle>
          <CardDescription>
            How your front desk works: who answers first, what to collect, when to hand over. Paste it or
            upload the file.
          </CardDescription>
        </div>
        {sopFile ? (
          <div className="flex items-center gap-3 rounded-md border border-border bg-background p-3 text-sm">
            <FileText className="size-5 text-accent dark:text-[#b084ff]" aria-hidden />
            <span className="flex-1">
              SOP file: <span className="font-medium">{sopFile.name}</span>{" "}
              <span className="text-subtle">({size(sopFile.size)})</span>
            </span>
            <Button variant="ghost" size="sm" onClick={() => setSopFile(null)}>
              <PenLine aria-hidden /> Paste text instead
            </Button>
          </div>
        ) : (
          <div className="grid gap-3">
            <div className="grid gap-1.5">
              <Label htmlFor="generate-sop">SOP text</Label>
              <Textarea
                id="generate-sop"
                rows={10}
                className="font-mono"
                value={sopText}
                aria-invalid={missingSop || undefined}
                aria-describedby={missingSop ? "generate-sop-missing" : undefined}
                placeholder={
                  "# Front desk procedure\n\n## Roles\n- **Receptionist**: answers first…\n\n## Booking\n1. Ask whether…"
                }
                onChange={(e) => {
                  setSopText(e.target.value);
                  setMissingSop(false);
                }}
              />
              {missingSop && (
                <p id="generate-sop-missing" role="alert" className="text-sm text-destructive">
                  Paste your SOP or upload it as a file.
                </p>
              )}
            </div>
            <FileDropzone
              compact
              multiple={false}
              label="Upload the SOP as a file"
              hint="Markdown, text, PDF, DOCX or HTML."
              onFiles={([file]) => {
                if (!file) return;
                setSopFile(file);
                setMissingSop(false);
              }}
            />
          </div>
        )}
      </Card>

      <Card className="grid gap-4">
        <div>
          <CardTitle>Documents and website</CardTitle>
          <CardDescription>
            Price lists, handbooks, policies and your website become the agents' knowledge; every answer cites
            them.
          </CardDescription>
        </div>
        <FileDropzone
          label="Add documents"
          hint="Drag files here or choose them: PDF, DOCX, HTML, Markdown, CSV, text."
          onFiles={addFiles}
        />
        {files.length > 0 && (
          <ul className="grid gap-1.5" aria-label="Documents to add">
            {files.map((file) => (
              <li
                key={`${file.name}-${file.size}`}
                className="flex items-center gap-2 rounded-md bg-muted px-3 py-1.5 text-sm"
              >
                <FileText className="size-4 shrink-0 text-subtle" aria-hidden />
                <span className="min-w-0 flex-1 truncate">{file.name}</span>
                <span className="text-xs text-subtle">{size(file.size)}</span>
                <Button
                  variant="ghost"
                  size="icon"
                  className="size-7"
                  aria-label={`Remove ${file.name}`}
                  onClick={() => setFiles((all) => all.filter((f) => f !== file))}
                >
                  <X aria-hidden />
                </Button>
              </li>
            ))}
          </ul>
        )}
        <Field
          id="generate-website"
          label="Website address (optional)"
          type="url"
          placeholder="https://www.example.com"
          hint="Up to 100 pages of the site are read; pages the site's robots.txt excludes are skipped."
          value={websiteUrl}
          onChange={(e) => setWebsiteUrl(e.target.value)}
        />
      </Card>

      <Card className="grid gap-4">
        <div>
          <CardTitle>Language and model</CardTitle>
          <CardDescription>
            The model reads your material, drafts and reviews the agents, and then answers as them.
          </CardDescription>
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <div className="grid gap-1.5">
            <Label htmlFor="generate-language">Language</Label>
            <NativeSelect
              id="generate-language"
              value={language}
              onChange={(e) => setLanguage(e.target.value)}
            >
              {Object.entries(LANGUAGES).map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="generate-provider">Model provider</Label>
            <NativeSelect
              id="generate-provider"
              value={providerId}
              onChange={(e) => setProviderId(e.target.value)}
            >
              <option value="">Organization default</option>
              <option value="local">Local model store</option>
              {languageModelProviders(providers.data ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.type})
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="generate-model">Model name</Label>
            <Input
              id="generate-model"
              value={model}
              disabled={!providerId}
              placeholder={providerId ? "The provider's default" : "—"}
              onChange={(e) => setModel(e.target.value)}
            />
          </div>
        </div>
      </Card>

      <FormError error={error} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          <Sparkles aria-hidden /> {pending ? "Uploading…" : "Generate agents"}
        </Button>
        <span className="text-sm text-subtle">or</span>
        <Link to="/agents/new/scratch" className={buttonVariants({ variant: "outline" })}>
          <PenLine aria-hidden /> Start from scratch
        </Link>
      </div>
    </form>
  );
}
