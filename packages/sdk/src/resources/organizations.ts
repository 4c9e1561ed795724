import type { Http, RequestOptions } from "../http.ts";
import type { Organization } from "./me.ts";

export function organizationsResource(http: Http) {
  return {
    /** Every organization the signed-in user belongs to, with their role in each. */
    async list(options?: RequestOptions): Promise<Organization[]> {
      return (await http.get<{ data: Organization[] }>("/organizations", options)).data;
    },
    /** Creates an organization owned by the signed-in user. */
    create(input: { name: string }, options?: RequestOptions): Promise<Organization> {
      return http.post<Organization>("/organizations", input, options);
    },
    /** The organization requests act in (see `client.setOrganization`). */
    current(options?: RequestOptions): Promise<Organization> {
      return http.get<Organization>("/organization", options);
    },
    updateCurrent(input: { name: string }, options?: RequestOptions): Promise<Organization> {
      return http.patch<Organization>("/organization", input, options);
    },
  };
}
