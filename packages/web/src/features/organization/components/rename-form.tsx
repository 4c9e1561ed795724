import type { Organization } from "@oratio/sdk";
import { type FormEvent, useState } from "react";
import { Field } from "../../../components/form-field.tsx";
import { FormError } from "../../../components/states.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Card, CardDescription, CardTitle } from "../../../components/ui/card.tsx";
import { useRenameOrganization } from "../api/queries.ts";

export function RenameForm({ organization, canEdit }: { organization: Organization; canEdit: boolean }) {
  const rename = useRenameOrganization();
  const [name, setName] = useState(organization.name);

  function submit(event: FormEvent) {
    event.preventDefault();
    rename.mutate(name);
  }

  return (
    <Card>
      <CardTitle>Name</CardTitle>
      <CardDescription>
        {canEdit
          ? "Shown to your team in the dashboard and in invitations."
          : "Only owners and admins can rename the organization."}
      </CardDescription>
      <form onSubmit={submit} className="mt-5 grid gap-4 sm:max-w-md" noValidate>
        <Field
          id="organization-name"
          label="Organization name"
          required
          disabled={!canEdit}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            rename.reset();
          }}
        />
        <FormError error={rename.error} />
        {rename.isSuccess && (
          <p role="status" className="text-sm text-success">
            Saved. The organization is now called {rename.data.name}.
          </p>
        )}
        {canEdit && (
          <Button
            type="submit"
            className="justify-self-start"
            disabled={rename.isPending || name.trim() === organization.name}
          >
            {rename.isPending ? "Saving…" : "Save name"}
          </Button>
        )}
      </form>
    </Card>
  );
}
