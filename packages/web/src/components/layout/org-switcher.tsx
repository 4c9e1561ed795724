import { Building2, ChevronsUpDown, Plus } from "lucide-react";
import { useState } from "react";
import { useMe, useOrganization, useOrganizationSelection } from "../../lib/session.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "../ui/dropdown-menu.tsx";
import { CreateOrganizationDialog } from "./create-organization-dialog.tsx";

export function OrgSwitcher() {
  const me = useMe();
  const { organization, role } = useOrganization();
  const { select } = useOrganizationSelection();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger
          aria-label={`Organization: ${organization.name}. Switch organization`}
          className="flex w-full items-center gap-3 rounded-md border border-border bg-surface px-3 py-2 text-left hover:bg-muted"
        >
          <span className="grid size-8 shrink-0 place-items-center rounded-sm bg-brand-navy text-white dark:bg-brand-violet">
            <Building2 className="size-4" aria-hidden />
          </span>
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-medium">{organization.name}</span>
            <span className="block text-xs text-subtle capitalize">{role}</span>
          </span>
          <ChevronsUpDown className="size-4 text-subtle" aria-hidden />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          <DropdownMenuLabel>Organizations</DropdownMenuLabel>
          <DropdownMenuRadioGroup value={organization.id} onValueChange={(id) => select(id)}>
            {me.data?.organizations.map((o) => (
              <DropdownMenuRadioItem key={o.id} value={o.id}>
                <span className="flex-1 truncate">{o.name}</span>
                <span className="text-xs text-subtle capitalize">{o.role}</span>
              </DropdownMenuRadioItem>
            ))}
          </DropdownMenuRadioGroup>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setCreating(true)}>
            <Plus aria-hidden /> Create organization
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <CreateOrganizationDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
