import type { CreatedInvitation, Role } from "@oratio/sdk";
import { UserPlus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { CopyButton } from "../../../components/copy-button.tsx";
import { Field } from "../../../components/form-field.tsx";
import { FormError } from "../../../components/states.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog, DialogContent, DialogTrigger } from "../../../components/ui/dialog.tsx";
import { NativeSelect } from "../../../components/ui/input.tsx";
import { Label } from "../../../components/ui/label.tsx";
import { useOrganization } from "../../../lib/session.tsx";
import { useMemberActions } from "../api/queries.ts";
import { assignableRoles, ROLE_DESCRIPTIONS } from "./role-label.ts";

export function invitationLink(token: string): string {
  return `${window.location.origin}/invitations/accept?token=${encodeURIComponent(token)}`;
}

export function InviteMemberDialog() {
  const { role: myRole } = useOrganization();
  const { invite } = useMemberActions();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [created, setCreated] = useState<CreatedInvitation | null>(null);

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setEmail("");
      setRole("member");
      setCreated(null);
      invite.reset();
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    invite.mutate({ email, role }, { onSuccess: setCreated });
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button>
          <UserPlus aria-hidden /> Invite member
        </Button>
      </DialogTrigger>
      <DialogContent
        title={created ? "Invitation created" : "Invite member"}
        description={
          created
            ? `Send this link to ${created.email}. It is shown only now; if it is lost, revoke the invitation and invite again.`
            : "They get a link to join this organization with the role you choose."
        }
      >
        {created ? (
          <div className="grid gap-4">
            <div className="grid gap-1.5">
              <Label htmlFor="invitation-link">Invitation link</Label>
              <input
                id="invitation-link"
                readOnly
                value={invitationLink(created.token)}
                onFocus={(e) => e.currentTarget.select()}
                className="h-10 w-full rounded-md border border-border bg-muted px-3 font-mono text-xs"
              />
            </div>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <CopyButton value={invitationLink(created.token)} label="Copy link" />
              <Button onClick={() => reset(false)}>Done</Button>
            </div>
          </div>
        ) : (
          <form onSubmit={submit} className="grid gap-4" noValidate>
            <Field
              id="invite-email"
              label="Email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <div className="grid gap-1.5">
              <Label htmlFor="invite-role">Role</Label>
              <NativeSelect id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {assignableRoles(myRole).map((r) => (
                  <option key={r} value={r}>
                    {ROLE_DESCRIPTIONS[r]}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <FormError error={invite.error} />
            <Button type="submit" disabled={invite.isPending}>
              {invite.isPending ? "Sending…" : "Send invitation"}
            </Button>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
