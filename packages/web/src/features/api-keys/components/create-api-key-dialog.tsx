import { type CreatedApiKey, SCOPE_AREAS } from "@oratio/sdk";
import { KeyRound, Plus, TriangleAlert } from "lucide-react";
import { type FormEvent, useState } from "react";
import { CopyButton } from "../../../components/copy-button.tsx";
import { Field } from "../../../components/form-field.tsx";
import { FormError } from "../../../components/states.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog, DialogContent, DialogTrigger } from "../../../components/ui/dialog.tsx";
import { NativeSelect } from "../../../components/ui/input.tsx";
import { Label } from "../../../components/ui/label.tsx";
import { useApiKeyActions } from "../api/queries.ts";

const ACCESS_LEVELS = {
  full: { label: "Full access", scopes: ["*"] },
  read: { label: "Read only", scopes: SCOPE_AREAS.map((area) => `${area}:read`) },
} as const;
type AccessLevel = keyof typeof ACCESS_LEVELS;

export function CreateApiKeyDialog() {
  const { create } = useApiKeyActions();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [access, setAccess] = useState<AccessLevel>("full");
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setName("");
      setAccess("full");
      setCreated(null);
      create.reset();
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, scopes: [...ACCESS_LEVELS[access].scopes] }, { onSuccess: setCreated });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden /> Create API key
        </Button>
      </DialogTrigger>
      <DialogContent
        title={created ? "Your new API key" : "Create API key"}
        description={
          created ? undefined : "Programs use an API key to reach Oratio on behalf of this organization."
        }
      >
        {created ? (
          <div className="grid gap-4">
            <p className="flex gap-2 rounded-md bg-secondary/25 p-3 text-sm">
              <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
              Copy this key now. It is shown only once; Oratio keeps only a fingerprint of it.
            </p>
            <div className="grid gap-1.5">
              <Label htmlFor="api-key-secret">Secret key for “{created.name}”</Label>
              <input
                id="api-key-secret"
                readOnly
                value={created.key}
                onFocus={(e) => e.currentTarget.select()}
                className="h-10 w-full rounded-md border border-border bg-muted px-3 font-mono text-xs"
              />
            </div>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <CopyButton value={created.key} label="Copy key" />
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </div>
          </div>
        ) : (
          <form onSubmit={submit} className="grid gap-4" noValidate>
            <Field
              id="api-key-name"
              label="Name"
              required
              hint="Where the key is used, e.g. Website widget."
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <div className="grid gap-1.5">
              <Label htmlFor="api-key-access">Access</Label>
              <NativeSelect
                id="api-key-access"
                value={access}
                onChange={(e) => setAccess(e.target.value as AccessLevel)}
              >
                {Object.entries(ACCESS_LEVELS).map(([value, level]) => (
                  <option key={value} value={value}>
                    {level.label}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <FormError error={create.error} />
            <Button type="submit" disabled={create.isPending}>
              <KeyRound aria-hidden />
              {create.isPending ? "Creating…" : "Create key"}
            </Button>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
