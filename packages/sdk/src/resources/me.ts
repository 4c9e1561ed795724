import type { Http, RequestOptions } from "../http.ts";

export type Role = "owner" | "admin" | "member" | "viewer";
export const ROLES: readonly Role[] = ["owner", "admin", "member", "viewer"];

export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

/** An organization as seen by one user: `role` is that user's role in it. */
export interface Organization {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface Me {
  user: User;
  organizations: Organization[];
  /** The organization requests act in: the selected one, or the user's first. */
  currentOrganizationId: string | null;
}

export function meResource(http: Http) {
  return {
    get(options?: RequestOptions): Promise<Me> {
      return http.get<Me>("/me", options);
    },
  };
}
