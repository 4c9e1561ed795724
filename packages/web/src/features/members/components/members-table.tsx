import type { Member, Role } from "@oratio/sdk";
import { useId } from "react";
import { FormError } from "../../../components/states.tsx";
import { ConfirmDialog } from "../../../components/ui/alert-dialog.tsx";
import { Badge } from "../../../components/ui/badge.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { NativeSelect } from "../../../components/ui/input.tsx";
import { useMe, useOrganization } from "../../../lib/session.tsx";
import { formatDate } from "../../../lib/utils.ts";
import { useMemberActions } from "../api/queries.ts";
import { assignableRoles } from "./role-label.ts";

export function MembersTable({ members }: { members: Member[] }) {
  const me = useMe();
  const { role: myRole, canManage, organization } = useOrganization();
  const { changeRole, remove } = useMemberActions();
  const selfId = me.data?.user.id;
  const roleColumnId = useId();

  // An admin cannot change or remove an owner; nobody changes themselves here.
  const editable = (member: Member) =>
    canManage && member.userId !== selfId && (myRole === "owner" || member.role !== "owner");

  return (
    <div className="grid gap-3">
      <FormError error={changeRole.error} />
      <div className="overflow-x-auto rounded-signature border border-border bg-surface">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Members of {organization.name}</caption>
          <thead className="border-b border-border text-xs text-subtle uppercase">
            <tr>
              <th scope="col" className="px-4 py-3 font-medium">
                Member
              </th>
              <th scope="col" id={roleColumnId} className="px-4 py-3 font-medium">
                Role
              </th>
              <th scope="col" className="hidden px-4 py-3 font-medium md:table-cell">
                Joined
              </th>
              {canManage && (
                <th scope="col" className="px-4 py-3 text-right font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.userId} className="border-b border-border last:border-0">
                <td className="px-4 py-3">
                  <div className="flex items-center gap-2 font-medium">
                    {member.name}
                    {member.userId === selfId && <Badge>You</Badge>}
                  </div>
                  <div className="text-subtle break-all">{member.email}</div>
                </td>
                <td className="px-4 py-3">
                  {editable(member) ? (
                    <NativeSelect
                      aria-label={`Role of ${member.name}`}
                      className="w-32"
                      value={member.role}
                      disabled={changeRole.isPending}
                      onChange={(e) =>
                        changeRole.mutate({ userId: member.userId, role: e.target.value as Role })
                      }
                    >
                      {assignableRoles(myRole).map((role) => (
                        <option key={role} value={role} className="capitalize">
                          {role}
                        </option>
                      ))}
                    </NativeSelect>
                  ) : (
                    <span className="capitalize">{member.role}</span>
                  )}
                </td>
                <td className="hidden px-4 py-3 text-subtle md:table-cell">{formatDate(member.joinedAt)}</td>
                {canManage && (
                  <td className="px-4 py-3 text-right">
                    {editable(member) && (
                      <ConfirmDialog
                        trigger={
                          <Button variant="ghost" size="sm" aria-label={`Remove ${member.name}`}>
                            Remove
                          </Button>
                        }
                        title={`Remove ${member.name}?`}
                        description={`${member.name} will lose access to ${organization.name} at once. You can invite them again later.`}
                        confirmLabel="Remove"
                        onConfirm={() => remove(member.userId)}
                      />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
