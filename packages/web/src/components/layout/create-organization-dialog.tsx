import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi } from "../../lib/api.tsx";
import { useOrganizationSelection } from "../../lib/session.tsx";
import { Field } from "../form-field.tsx";
import { FormError } from "../states.tsx";
import { Button } from "../ui/button.tsx";
import { Dialog, DialogContent } from "../ui/dialog.tsx";

/** Creates an organization owned by the signed-in user and switches to it. */
export function CreateOrganizationDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
}) {
  const client = useApi();
  const queryClient = useQueryClient();
  const { select } = useOrganizationSelection();
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: () => client.organizations.create({ name }),
    onSuccess: async (organization) => {
      select(organization.id);
      await queryClient.invalidateQueries({ queryKey: ["me"] });
      setName("");
      onOpenChange(false);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title="Create organization"
        description="You will be its owner. You can switch between organizations at any time."
      >
        <form onSubmit={submit} className="grid gap-4">
          <Field
            id="new-organization-name"
            label="Organization name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <FormError error={create.error} />
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create organization"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
