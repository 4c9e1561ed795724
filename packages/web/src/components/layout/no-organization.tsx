import { useState } from "react";
import { Button } from "../ui/button.tsx";
import { Card, CardDescription } from "../ui/card.tsx";
import { CreateOrganizationDialog } from "./create-organization-dialog.tsx";

/** For a user who belongs to no organization (removed from their last one, say). */
export function NoOrganization() {
  const [open, setOpen] = useState(false);
  return (
    <main className="mx-auto grid min-h-dvh max-w-md place-items-center p-6">
      <Card>
        <h1 className="text-2xl font-semibold">No organization yet</h1>
        <CardDescription>
          You are not a member of any organization. Create one, or ask a colleague to invite you.
        </CardDescription>
        <Button className="mt-5" onClick={() => setOpen(true)}>
          Create organization
        </Button>
        <CreateOrganizationDialog open={open} onOpenChange={setOpen} />
      </Card>
    </main>
  );
}
