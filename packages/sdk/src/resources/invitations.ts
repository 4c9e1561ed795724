import { type Http, type RequestOptions, segment } from "../http.ts";
import type { Organization, Role } from "./me.ts";

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  createdAt: string;
}

/** A new invitation; `token` is returned only once, to pass on to the invitee. */
export interface CreatedInvitation extends Invitation {
  token: string;
}

export interface InvitationPreview {
  organizationName: string;
  email: string;
  role: Role;
  expiresAt: string;
}

export function invitationsResource(http: Http) {
  return {
    create(input: { email: string; role?: Role }, options?: RequestOptions): Promise<CreatedInvitation> {
      return http.post<CreatedInvitation>("/invitations", input, options);
    },
    /** Pending invitations of the current organization. */
    async list(options?: RequestOptions): Promise<Invitation[]> {
      return (await http.get<{ data: Invitation[] }>("/invitations", options)).data;
    },
    revoke(id: string, options?: RequestOptions): Promise<void> {
      return http.delete(`/invitations/${segment(id)}`, options);
    },
    /** What a token invites to; needs no sign-in. */
    lookup(token: string, options?: RequestOptions): Promise<InvitationPreview> {
      return http.post<InvitationPreview>("/invitations/lookup", { token }, { ...options, anonymous: true });
    },
    /** Joins the inviting organization as the signed-in user. */
    accept(token: string, options?: RequestOptions): Promise<Organization> {
      return http.post<Organization>("/invitations/accept", { token }, options);
    },
  };
}
